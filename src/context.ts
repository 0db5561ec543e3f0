import type { IncomingMessage } from 'node:http';
import type { EntityManager, MikroORM } from '@mikro-orm/postgresql';
import type { Logger } from 'pino';
import type { Config } from './config';
import type { CurrentPrincipal } from './auth/authenticate';
import type { KeySet } from './auth/keys';
import type { RateLimiter } from './common/rate-limit';
import { RateLimitedError } from './common/errors';
import { recordRateDecision } from './common/rate-limit-headers';
import { authenticate } from './auth/authenticate';
import { abilityFor, type AppAbility } from './auth/ability';
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
 * The context of one request. Apollo copies the context it is given for each operation (Object.assign onto an object
 * of the same prototype), so what is made on first use lives on the prototype: the forked EntityManager (a request
 * answered from the shared answers, or refused, needs none) and the child logger (most requests log nothing at the
 * configured level). Either is made once per copy that uses it, which in practice is Apollo's.
 */
class RequestContext implements Context {
  private forked: EntityManager | undefined = undefined;
  private requestLog: Logger | undefined = undefined;
  readonly loaderSets = new Map<unknown, unknown>();

  constructor(
    readonly requestId: string,
    readonly principal: CurrentPrincipal | null,
    readonly ability: AppAbility,
    readonly config: Config,
    readonly keys: KeySet,
    readonly ip: string,
    readonly rateLimiter: RateLimiter,
    private readonly orm: MikroORM,
    private readonly rootLog: Logger,
  ) {}

  get em(): EntityManager {
    return (this.forked ??= this.orm.em.fork() as EntityManager);
  }

  /** A live subscription gives its context a fresh EntityManager between events (live/live-session.ts). */
  set em(em: EntityManager) {
    this.forked = em;
  }

  get log(): Logger {
    return (this.requestLog ??= this.rootLog.child({ requestId: this.requestId, principalId: this.principal?.id }));
  }
}

/**
 * The per-request context factory: authenticates, applies the rate limit; the EntityManager is forked when first used.
 * Errors thrown here carry the request id (no context exists yet to hold it); formatError logs them.
 */
export function createContextFactory(deps: ContextDeps): (request: RequestFacts) => Promise<Context> {
  const { orm, keys, config, log, rateLimiter } = deps;
  return async ({ id: requestId, ip, authorization, raw }) => {
    try {
      // Authentication runs one prepared statement outside any transaction: the ORM's own manager serves it.
      const principal = await authenticate(orm.em as EntityManager, keys, config, authorization);
      const [key, limit] = principal ? [`p:${principal.id}`, config.rateLimits.perPrincipal] : [`ip:${ip}`, config.rateLimits.perAddress];
      if (limit > 0) {
        const decision = rateLimiter.hit(key, limit);
        if (raw) recordRateDecision(raw, decision, config.rateLimits.windowSeconds);
        if (!decision.allowed) throw new RateLimitedError(decision.retryAfterSeconds);
      }
      return new RequestContext(requestId, principal, abilityFor(principal?.grants ?? []), config, keys, ip, rateLimiter, orm, log);
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
