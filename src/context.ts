import type { EntityManager } from '@mikro-orm/postgresql';
import type { Logger } from 'pino';
import type { Config } from './config';
import type { AppAbility } from './auth/ability';
import type { CurrentPrincipal } from './auth/authenticate';
import type { KeySet } from './auth/keys';
import type { RateLimiter } from './common/rate-limit';

/** Built once per request and passed first to every service (see STYLE.md #1). */
export interface Context {
  readonly requestId: string;
  /** A fork of the ORM's EntityManager, private to this request. */
  readonly em: EntityManager;
  readonly principal: CurrentPrincipal | null;
  readonly ability: AppAbility;
  readonly config: Config;
  readonly keys: KeySet;
  readonly log: Logger;
  /** Client address, for rate limits and audit. */
  readonly ip: string;
  /** Shared request counters (rate limits). */
  readonly rateLimiter: RateLimiter;
  /** Per-request DataLoader sets, created lazily by feature (see loaders()). */
  readonly loaderSets: Map<unknown, unknown>;
}

/** Returns this request's loader set made by `factory`, creating it on first use. */
export function loaders<T>(ctx: Context, factory: (ctx: Context) => T): T {
  let set = ctx.loaderSets.get(factory) as T | undefined;
  if (!set) {
    set = factory(ctx);
    ctx.loaderSets.set(factory, set);
  }
  return set;
}
