import http from 'node:http';
import { randomUUID } from 'node:crypto';
import { ApolloServer, HeaderMap, type GraphQLRequestContext } from '@apollo/server';
import { ApolloServerPluginCacheControlDisabled, ApolloServerPluginLandingPageDisabled } from '@apollo/server/plugin/disabled';
import { operationGatePlugin } from './auth/operation-gate.plugin';
import { responseCachePlugin } from './cache/response-cache.plugin';
import { ResponseCache } from './cache/response-cache';
import { DataVersion } from './cache/data-version.repo';
import type { GraphQLSchema } from 'graphql';
import type { MikroORM } from '@mikro-orm/postgresql';
import type { Logger } from 'pino';
import type { Config } from './config';
import type { Context } from './context';
import type { KeySet } from './auth/keys';
import { AppError } from './common/errors';
import { authenticate } from './auth/authenticate';
import { defineAbility } from './auth/ability';
import { requestScope } from './db/request-scope';
import { setMaxPageSize } from './common/pagination';
import { aliasLimit, boundedStringify, costLimitPlugin, depthLimit, nestingRefusal, noSubscriptions } from './common/query-limits';
import { classifyContextFailure, formatError, unavailableStatusPlugin } from './common/format-error';
import { databaseAnswers } from './db/guards';
import { createMetrics } from './observability/metrics';
import { legacyJsonStatusPlugin } from './common/json-status.plugin';
import { createLiveHandler } from './live/sse-handler';
import { FiguresHub } from './live/figures-hub';
import { sendIdeAsset, sendIdePage, wantsIde } from './ide/ide';
import { createFiguresExport } from './exports/figures-export';
import { rateLimitHeaders, recordRateDecision } from './common/rate-limit-headers';
import { conditionalGet } from './common/conditional-get';
import { requestLogPlugin } from './observability/request-log.plugin';
import { applyCors, securityHeaders } from './http-headers';
import { RateLimiter } from './common/rate-limit';
import { RateLimitedError } from './common/errors';

export interface HttpServerDeps {
  config: Config;
  orm: MikroORM;
  keys: KeySet;
  schema: GraphQLSchema;
  log: Logger;
}

export interface RunningServer {
  url: string;
  port: number;
  /** Stops accepting connections, lets in-flight requests finish (up to `graceMs`), stops Apollo. */
  close(graceMs?: number): Promise<void>;
}

export async function startHttpServer(deps: HttpServerDeps): Promise<RunningServer> {
  const { config, orm, keys, schema, log } = deps;
  setMaxPageSize(config.maxPageSize);
  const metrics = createMetrics(orm);
  const responseCache = config.responseCache.maxBytes > 0 ? new ResponseCache(config.responseCache.maxBytes, config.responseCache.ttlSeconds) : null;
  const rateLimiter = new RateLimiter(orm, log, config.rateLimits.windowSeconds, config.rateLimits.flushMs);
  const apollo = new ApolloServer<Context>({
    schema,
    validationRules: [noSubscriptions, depthLimit(config.limits.maxDepth), aliasLimit(config.limits.maxAliases)],
    parseOptions: { maxTokens: config.limits.maxTokens },
    introspection: config.introspection,
    includeStacktraceInErrorResponses: false,
    hideSchemaDetailsFromClientErrors: !config.introspection,
    csrfPrevention: true,
    // main.ts owns SIGINT/SIGTERM and drains requests before the database stops.
    stopOnTerminationSignals: false,
    formatError: formatError(log, config.db.retryAfterSeconds),
    stringifyResult: boundedStringify(config.limits.maxResponseBytes),
    plugins: [
      // Apollo's default cache-control plugin wraps every resolver in willResolveField; we set no cache hints.
      ApolloServerPluginCacheControlDisabled(),
      // Apollo's landing page loads Sandbox from a CDN; browsers get our own IDE (src/ide) or nothing.
      ApolloServerPluginLandingPageDisabled(),
      operationGatePlugin(),
      legacyJsonStatusPlugin(),
      costLimitPlugin(schema, config.limits.maxCost),
      unavailableStatusPlugin(config.db.retryAfterSeconds),
      responseCachePlugin(responseCache, new DataVersion((sql) => orm.em.getConnection().execute(sql))),
      requestLogPlugin(log, metrics),
      {
        async requestDidStart() {
          return {
            async didEncounterErrors({ errors, contextValue }: GraphQLRequestContext<Context>) {
              // Without AsyncLocalStorage (production) formatError learns the request id from the error itself.
              for (const e of errors ?? []) if (e.extensions && !Object.isFrozen(e.extensions)) (e.extensions as Record<string, unknown>).requestId = contextValue.requestId;
            },
            async willSendResponse({ response, contextValue }: GraphQLRequestContext<Context>) {
              const scope = requestScope.getStore();
              if (response.body?.kind === 'single') {
                response.body.singleResult.extensions = {
                  ...response.body.singleResult.extensions,
                  requestId: contextValue.requestId,
                  ...(scope ? { sqlStatements: scope.sqlStatements } : {}),
                };
              }
            },
          };
        },
      },
    ],
  });
  await apollo.start();

  let inFlight = 0;
  let draining = false;
  const idle: (() => void)[] = [];

  const buildContext = async (req: http.IncomingMessage, requestId: string): Promise<Context> => {
    const em = orm.em.fork() as Context['em'];
    const ip = req.socket.remoteAddress ?? 'unknown';
    const principal = await authenticate(em, keys, config, req.headers.authorization);
    const [key, limit] = principal ? [`p:${principal.id}`, config.rateLimits.perPrincipal] : [`ip:${ip}`, config.rateLimits.perAddress];
    if (limit > 0) {
      const decision = rateLimiter.hit(key, limit);
      recordRateDecision(req, decision, config.rateLimits.windowSeconds);
      if (!decision.allowed) throw new RateLimitedError(decision.retryAfterSeconds);
    }
    const reqLog = log.child({ requestId, principalId: principal?.id });
    return {
      requestId,
      em,
      principal,
      ability: defineAbility(principal?.grants ?? []),
      config,
      keys,
      log: reqLog,
      ip,
      loaderSets: new Map(),
      rateLimiter,
    };
  };

  const hub = new FiguresHub(orm.config.get('clientUrl') as string, log);
  await hub.start();
  const liveHandler = createLiveHandler({
    schema,
    live: { hub, orm, keys, config },
    log,
    validationRules: [depthLimit(config.limits.maxDepth), aliasLimit(config.limits.maxAliases)],
    contextFor: (req) => buildContext(req, randomUUID()),
    formatError: formatError(log, config.db.retryAfterSeconds),
  });

  const exportFigures = createFiguresExport({
    contextFor: (req) => buildContext(req, randomUUID()),
    databaseUrl: orm.config.get('clientUrl') as string,
    onRows: (n) => metrics.exportRows.inc(n),
  });

  const handleGraphql = async (req: http.IncomingMessage, res: http.ServerResponse, requestId: string): Promise<void> => {
    const body = req.method === 'POST' ? await readBody(req, config.limits.maxBodyBytes) : undefined;
    if (body === null) {
      return send(res, 413, { errors: [{ message: `Request body larger than ${config.limits.maxBodyBytes} bytes (MAX_BODY_BYTES).`, extensions: { code: 'BAD_REQUEST', limit: 'maxBodyBytes' } }] });
    }
    let parsed: unknown;
    if (body !== undefined) {
      const type = req.headers['content-type'] ?? '';
      if (!type.includes('application/json')) {
        return send(res, 415, { errors: [{ message: 'Send GraphQL requests as application/json.', extensions: { code: 'BAD_REQUEST' } }] });
      }
      try {
        parsed = body.length ? JSON.parse(body) : {};
      } catch {
        return send(res, 400, { errors: [{ message: 'The request body is not valid JSON.', extensions: { code: 'BAD_REQUEST' } }] });
      }
    }
    if (body !== undefined && body.includes('\\u0000')) {
      // PostgreSQL text cannot hold NUL; refuse it at the door rather than fail deep inside.
      return send(res, 400, { errors: [{ message: 'Strings must not contain NUL (\\u0000) characters.', extensions: { code: 'BAD_USER_INPUT' } }] });
    }
    const headers = new HeaderMap();
    for (const [k, v] of Object.entries(req.headers)) if (v !== undefined) headers.set(k, Array.isArray(v) ? v.join(', ') : v);
    const url = new URL(req.url ?? '/', 'http://localhost');
    const tooDeep = nestingRefusal((parsed as { query?: unknown } | undefined)?.query ?? url.searchParams.get('query'), config.limits.maxNesting);
    if (tooDeep) return send(res, 400, tooDeep);
    const result = await apollo.executeHTTPGraphQLRequest({
      httpGraphQLRequest: { method: req.method ?? 'GET', headers, search: url.search, body: parsed },
      context: () =>
        buildContext(req, requestId)
          .catch(classifyContextFailure(config.db.retryAfterSeconds))
          .catch((e: unknown) => {
            if (e instanceof AppError) (e.extensions as Record<string, unknown>).requestId = requestId;
            throw e;
          }),
    });
    for (const [k, v] of result.headers) res.setHeader(k, v);
    for (const [k, v] of rateLimitHeaders(req)) res.setHeader(k, v);
    res.statusCode = result.status ?? 200;
    const revalidated = req.method === 'GET' && res.statusCode === 200 && result.body.kind === 'complete' ? conditionalGet(req.headers, result.body.string) : null;
    if (revalidated) {
      for (const [k, v] of revalidated.headers) res.setHeader(k, v);
      if (revalidated.status === 304) {
        res.statusCode = 304;
        res.removeHeader('content-type');
        return void res.end();
      }
    }
    if (result.body.kind === 'complete') res.end(result.body.string);
    else {
      for await (const chunk of result.body.asyncIterator) res.write(chunk);
      res.end();
    }
  };

  const server = http.createServer((req, res) => {
    const requestId = (typeof req.headers['x-request-id'] === 'string' && /^[\w-]{1,64}$/.test(req.headers['x-request-id']) ? req.headers['x-request-id'] : randomUUID());
    res.setHeader('x-request-id', requestId);
    securityHeaders(res, config);
    if (!applyCors(req, res, config)) return;
    inFlight++;
    res.on('close', () => {
      inFlight--;
      if (inFlight === 0) idle.splice(0).forEach((f) => f());
    });
    const path = (req.url ?? '/').split('?')[0];
    // AsyncLocalStorage puts hooks on every promise (Node 20); it only counts SQL statements, so production runs without it.
    const scoped = (fn: () => Promise<void>): Promise<void> => (config.env === 'production' ? fn() : requestScope.run({ requestId, sqlStatements: 0 }, fn));
    void scoped(async () => {
      try {
        if (path === '/graphql' && config.graphqlIde && wantsIde(req)) return sendIdePage(res);
        if (path === '/graphql') return await handleGraphql(req, res, requestId);
        if (path === '/exports/figures') return await exportFigures(req, res);
        if (path === '/' && config.graphqlIde && req.method === 'GET') {
          res.statusCode = 302;
          res.setHeader('location', '/graphql');
          return void res.end();
        }
        if (path.startsWith('/ide/') && config.graphqlIde && sendIdeAsset(path, res)) return;
        if (path === '/graphql/stream') return await liveHandler(req, res);
        if (path === '/healthz') return send(res, 200, { status: 'ok' });
        if (path === '/readyz') {
          if (draining) return send(res, 503, { status: 'draining' });
          const ready = await databaseAnswers(() => orm.em.getConnection().execute('select 1'), config.db.readinessTimeoutMs);
          return ready ? send(res, 200, { status: 'ready' }) : send(res, 503, { status: 'database unreachable' });
        }
        if (path === '/metrics' && config.metricsEnabled) {
          const remote = req.socket.remoteAddress ?? '';
          const authorised = config.metricsToken
            ? req.headers.authorization === `Bearer ${config.metricsToken}`
            : remote === '127.0.0.1' || remote === '::1' || remote === '::ffff:127.0.0.1';
          if (!authorised) return send(res, 403, { error: 'metrics are served to loopback or with METRICS_TOKEN only' });
          res.setHeader('content-type', metrics.registry.contentType);
          res.end(await metrics.registry.metrics());
          return;
        }
        if (path === '/.well-known/jwks.json') {
          res.setHeader('cache-control', 'public, max-age=300');
          return send(res, 200, keys.jwks);
        }
        send(res, 404, { error: 'not found' });
      } catch (err) {
        log.error({ requestId, err }, 'request failed');
        if (!res.headersSent) send(res, 500, { errors: [{ message: `Internal server error. Request id ${requestId}.`, extensions: { code: 'INTERNAL_SERVER_ERROR', requestId } }] });
        else res.end();
      }
    });
  });
  server.keepAliveTimeout = 5000;

  await new Promise<void>((resolve) => server.listen(config.port, config.host, resolve));
  const port = (server.address() as { port: number }).port;
  const shownHost = config.host === '0.0.0.0' ? 'localhost' : config.host;
  return {
    url: `http://${shownHost}:${port}/graphql`,
    port,
    async close(graceMs = 10_000) {
      draining = true;
      server.close();
      liveHandler.close();
      server.closeIdleConnections();
      if (inFlight > 0) {
        let timer: NodeJS.Timeout | undefined;
        await Promise.race([new Promise<void>((r) => idle.push(r)), new Promise((r) => (timer = setTimeout(r, graceMs)))]);
        clearTimeout(timer);
      }
      server.closeAllConnections();
      await rateLimiter.close();
      await hub.close();
      await apollo.stop();
    },
  };
}

function send(res: http.ServerResponse, status: number, body: unknown): void {
  res.statusCode = status;
  res.setHeader('content-type', 'application/json; charset=utf-8');
  res.end(JSON.stringify(body));
}

/** Reads the body as UTF-8 text; null when it exceeds the limit. */
function readBody(req: http.IncomingMessage, maxBytes: number): Promise<string | null> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    let size = 0;
    let tooLarge = false;
    req.on('data', (c: Buffer) => {
      size += c.length;
      if (size > maxBytes) tooLarge = true;
      else chunks.push(c);
    });
    req.on('end', () => resolve(tooLarge ? null : Buffer.concat(chunks).toString('utf8')));
    req.on('error', reject);
  });
}
