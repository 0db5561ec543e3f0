import { randomUUID } from 'node:crypto';
import Fastify, { type FastifyInstance } from 'fastify';
import type { GraphQLSchema } from 'graphql';
import type { MikroORM } from '@mikro-orm/postgresql';
import type { Logger } from 'pino';
import type { Config } from './config';
import { createContextFactory, type Context, type RequestFacts } from './context';
import type { KeySet } from './auth/keys';
import { setMaxPageSize } from './common/pagination';
import { RateLimiter } from './common/rate-limit';
import { createMetrics } from './observability/metrics';
import { createApollo } from './http/apollo';
import { operationRecorder } from './observability/request-log.plugin';
import { ResponseCache } from './cache/response-cache';
import { registerSecurity } from './http/security';
import { registerRoutes, type Readiness } from './http/routes';
import { registerGraphqlRoute } from './http/graphql-route';
import { Drain } from './http/drain';
import { registerFrontend } from './http/frontend';

/**
 * Adds routes or plugins to the server before it listens (e.g. live updates over WebSocket/SSE).
 * `contextFor` builds the same per-request Context as /graphql (authentication, rate limit, scope).
 * Long-lived connections must end themselves on `app.addHook('preClose', …)`: the drain waits for them.
 */
export type HttpExtension = (app: FastifyInstance, services: { contextFor: (request: RequestFacts) => Promise<Context> }) => Promise<void> | void;

export interface HttpServerDeps {
  config: Config;
  orm: MikroORM;
  keys: KeySet;
  schema: GraphQLSchema;
  log: Logger;
  extensions?: readonly HttpExtension[];
}

export interface RunningServer {
  url: string;
  port: number;
  /** The Fastify instance (already listening). */
  fastify: FastifyInstance;
  /** /readyz answers 200 from now on (it answers 503 until then). */
  markReady(): void;
  /**
   * Drains (see http/drain.ts): stops accepting, answers in-flight requests with `Connection: close`,
   * refuses new ones on open sockets with a retryable 503, and resolves when none is in flight
   * (cutting what remains after `graceMs`). Then stops Apollo and the rate limiter.
   */
  close(graceMs?: number): Promise<{ refused: number; unfinished: number }>;
}

const REQUEST_ID = /^[\w-]{1,64}$/;

/**
 * Fastify 5 reads a numeric trustProxy as "trust nothing"; a hop count is the function Express uses:
 * trust the socket peer and the next N − 1 forwarders. Only safe when clients cannot reach the API
 * except through those proxies (prefer a CIDR list).
 */
function trustProxyOption(trust: Config['trustProxy']): boolean | string[] | ((address: string, hop: number) => boolean) {
  if (trust === false) return false;
  if (typeof trust === 'number') return (_address, hop) => hop < trust;
  return [...trust];
}

/** Builds the Fastify server (security headers, CORS, /graphql, health and metrics routes) and listens. */
export async function startHttpServer(deps: HttpServerDeps, readiness: Readiness = { ready: true }): Promise<RunningServer> {
  const { config, orm, keys, schema, log } = deps;
  setMaxPageSize(config.maxPageSize);
  const metrics = createMetrics(orm);
  const rateLimiter = new RateLimiter(orm, log, config.rateLimits.windowSeconds, config.rateLimits.flushMs);
  const record = operationRecorder(metrics, config.metricsOperationNames, log);
  const responseCache = config.responseCache.maxBytes > 0 ? new ResponseCache(config.responseCache.maxBytes, config.responseCache.ttlSeconds) : null;
  const apollo = await createApollo(schema, config, log, { record, responseCache });
  const contextFor = createContextFactory({ orm, keys, config, log, rateLimiter });
  const drain = new Drain();

  const app: FastifyInstance = Fastify({
    logger: false,
    trustProxy: trustProxyOption(config.trustProxy),
    bodyLimit: config.limits.maxBodyBytes,
    keepAliveTimeout: 5000,
    // The drain answers requests that arrive while closing (GraphQL-shaped, retryable).
    return503OnClosing: false,
    requestIdHeader: false,
    genReqId: (req) => {
      const given = req.headers['x-request-id'];
      return typeof given === 'string' && REQUEST_ID.test(given) ? given : randomUUID();
    },
  });
  app.addHook('onRequest', (request, reply, done) => {
    void reply.header('x-request-id', request.id);
    done();
  });
  try {
    await registerSecurity(app, config);
    drain.install(app);
    await registerFrontend(app, { config, orm, keys, schema, log, metrics, contextFor });
    registerGraphqlRoute(app, { apollo, config, log, contextFor, responseCache, record });
    registerRoutes(app, { config, orm, keys, metrics, readiness });
    for (const extend of deps.extensions ?? []) await extend(app, { contextFor });
    await app.listen({ port: config.port, host: config.host });
  } catch (e) {
    await app.close().catch(() => {});
    await rateLimiter.close();
    await apollo.stop();
    throw e;
  }

  const port = (app.server.address() as { port: number }).port;
  const shownHost = config.host === '0.0.0.0' ? 'localhost' : config.host;
  return {
    url: `http://${shownHost}:${port}/graphql`,
    port,
    fastify: app,
    markReady() {
      readiness.ready = true;
    },
    async close(graceMs = 10_000) {
      drain.begin();
      const closed = app.close(); // stops listening and closes idle keep-alive sockets
      await drain.idle(graceMs);
      const { inFlight } = drain.stats();
      if (inFlight > 0) log.warn({ inFlight, graceMs }, 'drain grace period over: cutting the requests still in flight');
      app.server.closeAllConnections(); // nothing is in flight on them any more (or the grace is over)
      await closed;
      await rateLimiter.close();
      await apollo.stop();
      const { refused, unfinished } = drain.stats();
      return { refused, unfinished };
    },
  };
}
