import type { IncomingMessage, ServerResponse } from 'node:http';
import { createHandler } from 'graphql-sse/lib/use/http';
import { GraphQLError, getOperationAST, parse, specifiedRules, validate, type DocumentNode, type GraphQLFormattedError, type GraphQLSchema, type ValidationRule } from 'graphql';
import type { Logger } from 'pino';
import type { Context } from '../context';
import { AppError, UnauthenticatedError, bearerChallenge } from '../common/errors';
import { attachLiveSession, closeLiveStreams, liveSessionOf, LiveSession, type LiveDeps } from './live-session';

export interface LiveHandlerDeps {
  schema: GraphQLSchema;
  live: LiveDeps;
  log: Logger;
  validationRules: readonly ValidationRule[];
  /** Builds the request's Context exactly as /graphql does (authentication, rate limit); throws AppErrors. */
  contextFor(req: IncomingMessage): Promise<Context>;
  formatError(formatted: GraphQLFormattedError, error: unknown): GraphQLFormattedError;
}

export interface LiveHandler {
  (req: IncomingMessage, res: ServerResponse): Promise<void>;
  /** Ends every open stream of this server (before it closes). */
  close(): void;
}

type SseResponse = readonly [string, { status: number; statusText: string; headers: Record<string, string> }];

const json = (status: number, body: unknown, headers: Record<string, string> = {}): SseResponse => [
  JSON.stringify(body),
  { status, statusText: '', headers: { 'content-type': 'application/json; charset=utf-8', ...headers } },
];

/**
 * GraphQL over Server-Sent Events ("distinct connections" mode: one subscription per request), for the
 * Subscription fields of src/live. The caller authenticates at connect with the Authorization header, like
 * any request; streams are bounded per principal (LIVE_MAX_STREAMS_PER_PRINCIPAL) and end when the server closes.
 */
export function createLiveHandler(deps: LiveHandlerDeps): LiveHandler {
  const open = new Map<number, number>();
  const handler = createHandler<Record<PropertyKey, unknown>>({
    schema: deps.schema,
    authenticate: () => null, // no "single connection mode": every stream carries its own credentials
    async onSubscribe(req, params) {
      let document: DocumentNode;
      try {
        document = parse(params.query);
      } catch (e) {
        return json(400, { errors: [{ message: (e as Error).message, extensions: { code: 'GRAPHQL_PARSE_FAILED' } }] });
      }
      const operation = getOperationAST(document, params.operationName);
      if (!operation || operation.operation !== 'subscription') {
        return json(400, { errors: [{ message: 'Only subscriptions are served here; send queries and mutations to /graphql.', extensions: { code: 'BAD_REQUEST' } }] });
      }
      const errors = validate(deps.schema, document, [...specifiedRules, ...deps.validationRules]);
      if (errors.length) return json(400, { errors: errors.map((e) => ({ message: e.message, locations: e.locations, extensions: { code: 'GRAPHQL_VALIDATION_FAILED' } })) });
      let ctx: Context;
      try {
        ctx = await deps.contextFor(req.raw);
        if (!ctx.principal) throw new UnauthenticatedError();
      } catch (e) {
        if (!(e instanceof AppError)) throw e;
        const http = (e.extensions as { http?: { status?: number; headers?: Map<string, string> } }).http;
        const headers = Object.fromEntries(http?.headers ?? []);
        if (e instanceof UnauthenticatedError) headers['www-authenticate'] = bearerChallenge(e.reason, e.message);
        return json(http?.status ?? 400, { errors: [deps.formatError({ message: e.message }, e)] }, headers);
      }
      const principalId = ctx.principal.id;
      if ((open.get(principalId) ?? 0) >= deps.live.config.live.maxStreamsPerPrincipal) {
        return json(429, { errors: [{ message: `At most ${deps.live.config.live.maxStreamsPerPrincipal} live streams per account (LIVE_MAX_STREAMS_PER_PRINCIPAL); close one first.`, extensions: { code: 'RATE_LIMITED' } }] });
      }
      open.set(principalId, (open.get(principalId) ?? 0) + 1);
      attachLiveSession(ctx, new LiveSession(deps.live, req.raw.headers.authorization ?? ''));
      return {
        schema: deps.schema,
        document,
        operationName: params.operationName,
        variableValues: params.variables,
        contextValue: ctx as unknown as Record<PropertyKey, unknown>,
      };
    },
    onNext(_ctx, _req, result) {
      if (!result.errors?.length) return result;
      return { ...result, errors: result.errors.map((e) => deps.formatError(e instanceof GraphQLError ? e.toJSON() : { message: String(e) }, e)) as unknown as GraphQLError[] };
    },
    onComplete(ctx) {
      const principalId = (ctx as unknown as Context).principal?.id;
      if (principalId === undefined) return;
      const n = (open.get(principalId) ?? 1) - 1;
      if (n <= 0) open.delete(principalId);
      else open.set(principalId, n);
    },
  });
  const live = async (req: IncomingMessage, res: ServerResponse): Promise<void> => {
    try {
      await handler(req, res);
    } catch (err) {
      deps.log.error({ err }, 'live stream failed');
      if (!res.headersSent) res.writeHead(500, { 'content-type': 'application/json; charset=utf-8' }).end(JSON.stringify({ errors: [{ message: 'Internal server error.', extensions: { code: 'INTERNAL_SERVER_ERROR' } }] }));
      else res.end();
    }
  };
  return Object.assign(live, { close: () => closeLiveStreams((ctx) => liveSessionOf(ctx).deps.hub === deps.live.hub) });
}

