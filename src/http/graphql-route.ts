import type { FastifyError, FastifyInstance, FastifyRequest, RouteHandlerMethod } from 'fastify';
import type { ApolloServer } from '@apollo/server';
import { fastifyApolloHandler } from '@as-integrations/fastify';
import type { Logger } from 'pino';
import type { Config } from '../config';
import type { Context, RequestFacts } from '../context';
import { countStatements } from '../db/request-scope';
import { nestingRefusal } from '../common/query-limits';
import { graphqlError } from './replies';
import { rateLimitHeaders } from '../common/rate-limit-headers';
import { conditionalGet } from '../common/conditional-get';
import type { ResponseCache } from '../cache/response-cache';
import type { OperationRecorder } from '../observability/request-log.plugin';
import { acceptsPlainJson, postedOperation, SharedAnswers } from '../cache/cached-answer';
import { responseExtensions, SQL_STATEMENTS_HEADER } from '../observability/response-extensions.plugin';

class NulInBodyError extends Error {
  readonly statusCode = 400;
  readonly code = 'NUL_IN_BODY';
}

/**
 * POST/GET /graphql through Apollo. Bodies: application/json only (the exact media type, any
 * parameters), at most MAX_BODY_BYTES; every other content type is refused (415) before Apollo,
 * which keeps form posts (CSRF) out. Errors raised before GraphQL runs get GraphQL-shaped bodies.
 */
export function registerGraphqlRoute(
  app: FastifyInstance,
  deps: {
    apollo: ApolloServer<Context>;
    config: Config;
    log: Logger;
    contextFor: (request: RequestFacts) => Promise<Context>;
    responseCache: ResponseCache | null;
    record: OperationRecorder;
  },
): void {
  const { apollo, config, log, contextFor, responseCache, record } = deps;
  app.removeAllContentTypeParsers();
  const parseJson = app.getDefaultJsonParser('error', 'error');
  app.addContentTypeParser('application/json', { parseAs: 'string' }, (request, body, done) => {
    // PostgreSQL text cannot hold NUL; refuse it at the door rather than fail deep inside.
    if (String(body).includes('\\u0000')) return done(new NulInBodyError('Strings must not contain NUL (\\u0000) characters.'), undefined);
    parseJson(request, String(body), done);
  });

  app.setErrorHandler((error: FastifyError, request, reply) => {
    const status = error.statusCode ?? 500;
    if (error instanceof NulInBodyError) return reply.code(400).send(graphqlError(error.message, 'BAD_USER_INPUT'));
    if (error.code === 'FST_ERR_CTP_BODY_TOO_LARGE') {
      return reply.code(413).send(graphqlError(`Request body larger than ${config.limits.maxBodyBytes} bytes (MAX_BODY_BYTES).`, 'BAD_REQUEST', { limit: 'maxBodyBytes' }));
    }
    if (error.code === 'FST_ERR_CTP_INVALID_MEDIA_TYPE') return reply.code(415).send(graphqlError('Send GraphQL requests as application/json.', 'BAD_REQUEST'));
    if (status === 400 && (error instanceof SyntaxError || error.code === 'FST_ERR_CTP_EMPTY_JSON_BODY')) return reply.code(400).send(graphqlError('The request body is not valid JSON.', 'BAD_REQUEST'));
    if (status < 500) return reply.code(status).send(graphqlError(error.message, 'BAD_REQUEST'));
    log.error({ requestId: request.id, err: error }, 'request failed');
    return reply.code(500).send(graphqlError(`Internal server error. Request id ${request.id}.`, 'INTERNAL_SERVER_ERROR', { requestId: request.id }));
  });
  app.setNotFoundHandler((_request, reply) => reply.code(404).send({ error: 'not found' }));

  // A context built before Apollo (to look for a shared answer) is the one Apollo runs with: one authentication.
  const builtContexts = new WeakMap<FastifyRequest, Promise<Context>>();
  const facts = (request: FastifyRequest): RequestFacts => ({ id: request.id, ip: request.ip, authorization: request.headers.authorization, raw: request.raw });
  const apolloHandler = fastifyApolloHandler(apollo, {
    context: (request: FastifyRequest) => builtContexts.get(request) ?? contextFor(facts(request)),
  });
  const shared = responseCache ? new SharedAnswers(responseCache, record) : null;
  const answer: RouteHandlerMethod = async function answer(request, reply) {
    const op = shared && request.method === 'POST' && request.headers.authorization && acceptsPlainJson(request.headers.accept) ? postedOperation(request.body) : null;
    let release: (() => void) | undefined;
    if (op && shared) {
      const started = process.hrtime.bigint();
      const built = contextFor(facts(request));
      builtContexts.set(request, built);
      // A failure (bad token, rate limit, database) is Apollo's to answer, from the same rejected promise.
      const ctx = await built.catch(() => null);
      const found = ctx ? await shared.lookup(op, ctx, () => responseExtensions(config, ctx.requestId, request.headers[SQL_STATEMENTS_HEADER]), started) : {};
      if (found.hit) {
        for (const [k, v] of found.hit.headers) void reply.header(k, v);
        return reply.code(200).type('application/json; charset=utf-8').send(found.hit.body);
      }
      release = found.release;
    }
    try {
      return await apolloHandler.call(this, request as never, reply as never);
    } finally {
      release?.();
    }
  };
  // Statement counting (extensions.sqlStatements) follows the request with AsyncLocalStorage, which
  // costs every promise: development and tests only.
  const handler: RouteHandlerMethod =
    config.env === 'production' ? answer : function counting(request, reply) { return countStatements(() => answer.call(this, request, reply)); };
  app.route({
    method: ['GET', 'POST'],
    url: '/graphql',
    // A document nested too deeply overflows the parser's stack: refuse it before Apollo parses it.
    preHandler: (request, reply, done) => {
      const query = (request.body as { query?: unknown } | undefined)?.query ?? (request.query as { query?: unknown } | undefined)?.query;
      const tooDeep = nestingRefusal(query, config.limits.maxNesting);
      if (!tooDeep) return done();
      void reply.code(400).type('application/json; charset=utf-8').send(JSON.stringify(tooDeep));
    },
    // RateLimit-* headers (the budget the context factory recorded) on every answer; ETag/Cache-Control on
    // successful GET queries, and 304 without a body when the client's If-None-Match still holds.
    onSend: (request, reply, payload, done) => {
      for (const [k, v] of rateLimitHeaders(request.raw)) void reply.header(k, v);
      if (request.method !== 'GET' || reply.statusCode !== 200 || typeof payload !== 'string') return done(null, payload);
      const revalidated = conditionalGet(request.headers as { 'if-none-match'?: string }, payload);
      if (!revalidated) return done(null, payload);
      for (const [k, v] of revalidated.headers) void reply.header(k, v);
      if (revalidated.status !== 304) return done(null, payload);
      void reply.code(304);
      reply.removeHeader('content-type');
      reply.removeHeader('content-length');
      done(null, '');
    },
    handler,
  });
}
