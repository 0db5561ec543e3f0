import { randomBytes } from 'node:crypto';
import type { IncomingMessage } from 'node:http';
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import type { GraphQLSchema } from 'graphql';
import type { MikroORM } from '@mikro-orm/postgresql';
import type { Logger } from 'pino';
import type { Config } from '../config';
import type { KeySet } from '../auth/keys';
import type { Context, RequestFacts } from '../context';
import type { AppMetrics } from '../observability/metrics';
import { aliasLimit, depthLimit } from '../common/query-limits';
import { formatError } from '../common/format-error';
import { createLiveHandler } from '../live/sse-handler';
import { FiguresHub } from '../live/figures-hub';
import { ideAsset, ideContentSecurityPolicy, idePage, wantsIde } from '../ide/ide';
import { createFiguresExport } from '../exports/figures-export';

export interface FrontendDeps {
  config: Config;
  orm: MikroORM;
  keys: KeySet;
  schema: GraphQLSchema;
  log: Logger;
  metrics: AppMetrics;
  contextFor: (request: RequestFacts) => Promise<Context>;
}

/**
 * The browser-facing and streaming routes of issue 17 on the Fastify server:
 * - the GraphQL IDE (GRAPHQL_IDE): GET /graphql asking for HTML gets the page with its own per-request nonce CSP,
 *   its assets under /ide/<version>/, and / redirects to /graphql;
 * - GET /exports/figures (streaming CSV/NDJSON export) and /graphql/stream (live updates over SSE), which write
 *   to the raw response (backpressure, long-lived streams).
 */
export async function registerFrontend(app: FastifyInstance, deps: FrontendDeps): Promise<void> {
  const { config, orm, keys, schema, log, metrics, contextFor } = deps;
  // Raw handlers build their context from the node request: the Fastify request (proxy-aware ip, id) is looked up.
  const requests = new WeakMap<IncomingMessage, FastifyRequest>();
  const contextOfRaw = (req: IncomingMessage): Promise<Context> => {
    const request = requests.get(req);
    return contextFor({ id: request?.id ?? 'unknown', ip: request?.ip ?? req.socket.remoteAddress ?? 'unknown', authorization: req.headers.authorization, raw: req });
  };
  /** Hands the response to a raw handler, with the headers set so far (security headers, request id) written out. */
  const hijack = (request: FastifyRequest, reply: FastifyReply): void => {
    requests.set(request.raw, request);
    for (const [k, v] of Object.entries(reply.getHeaders())) if (v !== undefined) reply.raw.setHeader(k, v as string | string[] | number);
    reply.hijack();
  };

  if (config.graphqlIde) {
    app.addHook('onRequest', (request, reply, done) => {
      if (request.url.split('?')[0] !== '/graphql' || !wantsIde(request.raw)) return done();
      const nonce = randomBytes(16).toString('base64');
      void reply
        .code(200)
        .header('content-type', 'text/html; charset=utf-8')
        .header('content-security-policy', ideContentSecurityPolicy(nonce))
        .header('cache-control', 'no-store')
        .send(idePage(nonce));
    });
    app.get('/', async (_request, reply) => reply.code(302).header('location', '/graphql').send());
    app.get('/ide/*', async (request, reply) => {
      const asset = ideAsset(request.url.split('?')[0]);
      if (!asset) return reply.code(404).send({ error: 'not found' });
      return reply
        .header('content-type', asset.type)
        .header('cache-control', 'public, max-age=31536000, immutable')
        .header('cross-origin-resource-policy', 'same-origin')
        .send(asset.body);
    });
  }

  const exportFigures = createFiguresExport({
    contextFor: contextOfRaw,
    databaseUrl: orm.config.get('clientUrl') as string,
    onRows: (n) => metrics.exportRows.inc(n),
  });
  app.route({
    method: ['GET', 'HEAD', 'POST', 'PUT', 'DELETE', 'PATCH'],
    url: '/exports/figures',
    exposeHeadRoute: false,
    handler: async (request, reply) => {
      hijack(request, reply);
      await exportFigures(request.raw, reply.raw);
    },
  });

  const hub = new FiguresHub(orm.config.get('clientUrl') as string, log);
  await hub.start();
  const liveHandler = createLiveHandler({
    schema,
    live: { hub, orm, keys, config },
    log,
    validationRules: [depthLimit(config.limits.maxDepth), aliasLimit(config.limits.maxAliases)],
    contextFor: contextOfRaw,
    formatError: formatError(log, config.db.retryAfterSeconds),
  });
  await app.register(async (live) => {
    // graphql-sse reads the request body itself: leave the stream unread here.
    live.removeAllContentTypeParsers();
    live.addContentTypeParser('*', (_request, _payload, done) => done(null, undefined));
    live.route({
      method: ['GET', 'POST', 'PUT', 'DELETE'],
      url: '/graphql/stream',
      handler: async (request, reply) => {
        hijack(request, reply);
        await liveHandler(request.raw, reply.raw);
      },
    });
  });
  // Open streams end before the drain waits for in-flight requests; the hub's connection after.
  app.addHook('preClose', (done) => {
    liveHandler.close();
    done();
  });
  app.addHook('onClose', async () => {
    await hub.close();
  });
}
