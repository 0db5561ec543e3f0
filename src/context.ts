import type { IncomingMessage } from 'node:http';
import type { EntityManager, MikroORM } from '@mikro-orm/postgresql';
import type { Logger } from 'pino';
import type { Config } from './config';
import type { AppAbility } from './auth/ability';
import type { CurrentPrincipal } from './auth/authenticate';
import type { KeySet } from './auth/keys';
import type { RateLimiter } from './common/rate-limit';
import { RateLimitedError } from './common/errors';
import { recordRateDecision } from './common/rate-limit-headers';
import { authenticate } from './auth/authenticate';
import { abilityFor } from './auth/ability';
import { classifyContextFailure, tagWithRequestId } from './common/format-error';

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
  /** Client address, for rate limits, lockouts and audit: the socket's peer, or the forwarded client behind trusted proxies (TRUST_PROXY). */
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

export interface ContextDeps {
  orm: MikroORM;
  keys: KeySet;
  config: Config;
  log: Logger;
  rateLimiter: RateLimiter;
}

/** What a request contributes to its context: the id, the client address (proxy-aware), the credentials. */
export interface RequestFacts {
  readonly id: string;
  readonly ip: string;
  readonly authorization?: string;
  /** The raw request, when the HTTP layer copies the rate-limit decision onto the response (RateLimit-* headers). */
  readonly raw?: IncomingMessage;
}

/**
 * The per-request context factory: authenticates, applies the rate limit, forks the EntityManager.
 * Errors thrown here carry the request id (no context exists yet to hold it); formatError logs them.
 */
export function createContextFactory(deps: ContextDeps): (request: RequestFacts) => Promise<Context> {
  const { orm, keys, config, log, rateLimiter } = deps;
  return async ({ id: requestId, ip, authorization, raw }) => {
    try {
      const em = orm.em.fork() as Context['em'];
      const principal = await authenticate(em, keys, config, authorization);
      const [key, limit] = principal ? [`p:${principal.id}`, config.rateLimits.perPrincipal] : [`ip:${ip}`, config.rateLimits.perAddress];
      if (limit > 0) {
        const decision = rateLimiter.hit(key, limit);
        if (raw) recordRateDecision(raw, decision, config.rateLimits.windowSeconds);
        if (!decision.allowed) throw new RateLimitedError(decision.retryAfterSeconds);
      }
      let requestLog: Logger | undefined;
      return {
        requestId,
        em,
        principal,
        ability: abilityFor(principal?.grants ?? []),
        config,
        keys,
        // Made when first used: most requests log nothing at the configured level.
        get log() {
          return (requestLog ??= log.child({ requestId, principalId: principal?.id }));
        },
        ip,
        loaderSets: new Map(),
        rateLimiter,
      };
    } catch (e) {
      // A database failure becomes its typed error (503, retryable); formatError logs it with this id.
      let typed: unknown = e;
      try {
        classifyContextFailure(config.db.retryAfterSeconds)(e);
      } catch (c) {
        typed = c;
      }
      throw tagWithRequestId(typed, requestId);
    }
  };
}
