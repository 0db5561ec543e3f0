import { unwrapResolverError } from '@apollo/server/errors';
import type { ApolloServerPlugin } from '@apollo/server';
import { GraphQLError, type GraphQLFormattedError } from 'graphql';
import type { Logger } from 'pino';
import { AppError, BadUserInputError, ServiceUnavailableError, clip } from './errors';
import { classifyDatabaseError } from '../db/error-classes';

/** Codes of errors the GraphQL layer itself raises about the request; safe to pass through. */
const PASS_THROUGH = new Set(['GRAPHQL_PARSE_FAILED', 'GRAPHQL_VALIDATION_FAILED', 'BAD_USER_INPUT', 'BAD_REQUEST', 'OPERATION_RESOLUTION_FAILURE', 'PERSISTED_QUERY_NOT_FOUND', 'PERSISTED_QUERY_NOT_SUPPORTED']);
/** Longest message sent to a client: graphql-js quotes offending input values in full. */
const MAX_MESSAGE_CHARS = 1000;

/** A known error for what the database layer threw, or undefined when it is a bug. */
function fromDatabase(e: unknown, retryAfterSeconds: number): AppError | undefined {
  const kind = classifyDatabaseError(e);
  if (kind === 'unavailable') return new ServiceUnavailableError(retryAfterSeconds);
  if (kind === 'badInput') return new BadUserInputError('A date or time is outside the range the database can hold (years 1 to 9999).');
  return undefined;
}

/** Rethrows a database failure while building the request context as its typed error (so its HTTP status applies). */
export function classifyContextFailure(retryAfterSeconds: number) {
  return (e: unknown): never => {
    throw (e instanceof AppError ? e : fromDatabase(e, retryAfterSeconds)) ?? e;
  };
}

function causes(e: unknown): unknown[] {
  const out: unknown[] = [];
  for (let c = (e as { originalError?: unknown })?.originalError; c && out.length < 5; c = (c as { originalError?: unknown }).originalError) out.push(c);
  return out;
}

function capped(formatted: GraphQLFormattedError): GraphQLFormattedError {
  const problems = formatted.extensions?.problems;
  return {
    ...formatted,
    message: clip(formatted.message, MAX_MESSAGE_CHARS),
    ...(Array.isArray(problems)
      ? { extensions: { ...formatted.extensions, problems: problems.map((p: { message: string }) => ({ ...p, message: clip(p.message, MAX_MESSAGE_CHARS) })) } }
      : {}),
  };
}

/**
 * Apollo's formatError: known errors (AppError, or a database failure classified by
 * classifyDatabaseError) pass with their code, logged at their level; errors graphql-js raises about
 * the request (syntax, validation, variable coercion) pass as they are; everything else is logged and
 * masked as INTERNAL_SERVER_ERROR with the request id. Messages are capped in length.
 */
export function formatError(log: Logger, retryAfterSeconds: number) {
  return (formatted: GraphQLFormattedError, error: unknown): GraphQLFormattedError => capped(format(formatted, error));

  function format(formatted: GraphQLFormattedError, error: unknown): GraphQLFormattedError {
    const original = unwrapResolverError(error);
    // The request id travels on the error itself: the request-id plugin (src/http/apollo.ts) puts it on
    // the errors of an operation; the context factory tags the errors it throws (tagWithRequestId).
    const requestId = (formatted.extensions?.requestId as string | undefined) ?? taggedRequestId(original);
    const known = original instanceof AppError ? original : fromDatabase(original, retryAfterSeconds);
    if (known) {
      if (known.logLevel !== 'debug') log[known.logLevel]({ requestId, code: known.code, reason: known.message, err: known === original ? undefined : original }, 'request refused');
      const { http: _http, ...extensions } = known.extensions as Record<string, unknown>;
      return { ...formatted, message: known.message, extensions: { ...extensions, code: known.code, requestId } };
    }
    const code = formatted.extensions?.code;
    const cause = original instanceof GraphQLError ? original.originalError : undefined;
    // Before execution (no path), graphql-js speaks only of the request: its scalars' parse errors
    // (a malformed Date literal) and the parser's own failures arrive with a non-GraphQL cause.
    if (original instanceof GraphQLError && !original.path && typeof code === 'string' && PASS_THROUGH.has(code)) {
      const tooDeep = causes(original).some((c) => c instanceof RangeError);
      // A literal a scalar refused (a Date "2023-13-45" in the document) is bad input, as it is in a variable.
      const scalarRefused = code === 'GRAPHQL_VALIDATION_FAILED' && cause !== undefined && !(cause instanceof GraphQLError);
      const typed = scalarRefused && !tooDeep ? 'BAD_USER_INPUT' : code;
      log.debug({ requestId, code: typed, reason: clip(formatted.message, MAX_MESSAGE_CHARS) }, 'request refused');
      const { stacktrace: _drop, ...extensions } = formatted.extensions ?? {};
      return { message: tooDeep ? 'The document is nested too deeply to parse.' : formatted.message, locations: formatted.locations, extensions: { ...extensions, code: typed, requestId } };
    }
    if (original instanceof GraphQLError && (!cause || cause instanceof GraphQLError) && code !== 'INTERNAL_SERVER_ERROR') {
      const { stacktrace: _drop, ...extensions } = formatted.extensions ?? {};
      return { ...formatted, extensions: { ...extensions, code: typeof code === 'string' && PASS_THROUGH.has(code) ? code : 'BAD_USER_INPUT', requestId } };
    }
    if (original instanceof GraphQLError && !cause && code === 'INTERNAL_SERVER_ERROR' && /Variable|cannot represent|Expected type/.test(original.message)) {
      return { ...formatted, extensions: { code: 'BAD_USER_INPUT', requestId } };
    }
    log.error({ requestId, err: original }, 'unexpected error');
    return {
      message: `Internal server error. Quote request id ${requestId} when reporting it.`,
      locations: formatted.locations,
      path: formatted.path,
      extensions: { code: 'INTERNAL_SERVER_ERROR', requestId },
    };
  }
}

/**
 * Any SERVICE_UNAVAILABLE error makes the whole response 503 with Retry-After, whatever else it
 * holds: one status for one classification (formatError cannot set the status itself).
 */
export function unavailableStatusPlugin(retryAfterSeconds: number): ApolloServerPlugin {
  return {
    async requestDidStart() {
      return {
        async willSendResponse({ response }) {
          const errors = response.body.kind === 'single' ? response.body.singleResult.errors : undefined;
          if (!errors?.some((e) => e.extensions?.code === 'SERVICE_UNAVAILABLE')) return;
          response.http.status = 503;
          response.http.headers.set('retry-after', String(retryAfterSeconds));
        },
      };
    },
  };
}

/** Tags an error thrown before any context exists (the context factory) with its request id, for formatError. */
export function tagWithRequestId<E>(error: E, requestId: string): E {
  if (error && typeof error === 'object') Object.defineProperty(error, 'requestId', { value: requestId, enumerable: false, configurable: true });
  return error;
}

function taggedRequestId(error: unknown): string | undefined {
  const id = (error as { requestId?: unknown } | null)?.requestId;
  return typeof id === 'string' ? id : undefined;
}
