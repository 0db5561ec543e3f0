import { unwrapResolverError } from '@apollo/server/errors';
import { GraphQLError, type GraphQLFormattedError } from 'graphql';
import { AppError } from '../common/errors';

/** Codes of errors the GraphQL layer itself raises about the request; safe to pass through. */
const PASS_THROUGH = new Set(['GRAPHQL_PARSE_FAILED', 'GRAPHQL_VALIDATION_FAILED', 'BAD_USER_INPUT', 'BAD_REQUEST', 'OPERATION_RESOLUTION_FAILURE', 'PERSISTED_QUERY_NOT_FOUND', 'PERSISTED_QUERY_NOT_SUPPORTED']);

/** What an error is, for the client and for the log. */
export type ErrorKind = 'app' | 'client' | 'unexpected';

/**
 * Domain errors (AppError) carry their code; errors graphql-js raises about the request itself
 * (syntax, validation, variable coercion) are GraphQLErrors with no non-GraphQL cause and speak of
 * the client's input; anything else is unexpected.
 */
export function errorKind(error: unknown): ErrorKind {
  const original = unwrapResolverError(error);
  if (original instanceof AppError) return 'app';
  if (original instanceof GraphQLError) {
    const cause = original.originalError;
    const code = original.extensions?.code ?? 'INTERNAL_SERVER_ERROR'; // as Apollo formats it
    if ((!cause || cause instanceof GraphQLError) && code !== 'INTERNAL_SERVER_ERROR') return 'client';
    if (!cause && code === 'INTERNAL_SERVER_ERROR' && /Variable|cannot represent|Expected type/.test(original.message)) return 'client';
  }
  return 'unexpected';
}

/** The request id the context factory attaches to errors it throws (no context exists to carry it). */
export function tagWithRequestId<E>(error: E, requestId: string): E {
  if (error && typeof error === 'object') Object.defineProperty(error, 'requestId', { value: requestId, enumerable: false, configurable: true });
  return error;
}

function taggedRequestId(error: unknown): string | undefined {
  const id = (error as { requestId?: unknown } | null)?.requestId;
  return typeof id === 'string' ? id : undefined;
}

/**
 * Apollo's `formatError`: known errors pass with their code, unknown ones are masked as
 * INTERNAL_SERVER_ERROR (retryable when the database is unavailable). The request id is added to
 * every error by the request-id plugin once the response is assembled (it needs the context).
 */
export function formatError(formatted: GraphQLFormattedError, error: unknown): GraphQLFormattedError {
  const original = unwrapResolverError(error);
  const requestId = taggedRequestId(original);
  const withId = requestId ? { requestId } : {};
  const kind = errorKind(error);
  if (kind === 'app') {
    const app = original as AppError;
    const { http: _http, ...extensions } = app.extensions as Record<string, unknown>;
    return { ...formatted, extensions: { ...extensions, code: app.code, ...withId } };
  }
  if (kind === 'client') {
    const { stacktrace: _drop, ...extensions } = formatted.extensions ?? {};
    const code = formatted.extensions?.code;
    if (code === 'INTERNAL_SERVER_ERROR') return { ...formatted, extensions: { code: 'BAD_USER_INPUT', ...withId } };
    return { ...formatted, extensions: { ...extensions, code: typeof code === 'string' && PASS_THROUGH.has(code) ? code : 'BAD_USER_INPUT', ...withId } };
  }
  const where = { locations: formatted.locations, path: formatted.path };
  if (isDatabaseUnavailable(original)) {
    return { message: 'The database is unavailable; retry shortly.', ...where, extensions: { code: 'INTERNAL_SERVER_ERROR', retryable: true, ...withId } };
  }
  return { message: 'Internal server error. Quote the request id (extensions.requestId) when reporting it.', ...where, extensions: { code: 'INTERNAL_SERVER_ERROR', ...withId } };
}

const UNAVAILABLE_CODES = new Set(['ECONNREFUSED', 'ECONNRESET', 'ETIMEDOUT', '57P01', '57P02', '57P03', '08000', '08003', '08006', '55000']);
const UNAVAILABLE_MESSAGE = /Connection terminated|ECONNREFUSED|Timeout acquiring a connection|not currently accepting connections|terminating connection/;

export function isDatabaseUnavailable(e: unknown): boolean {
  const err = e as { code?: string; sqlState?: string; cause?: { code?: string }; message?: string };
  const codes = [err?.code, err?.sqlState, err?.cause?.code].filter((c): c is string => typeof c === 'string');
  return codes.some((c) => UNAVAILABLE_CODES.has(c)) || UNAVAILABLE_MESSAGE.test(err?.message ?? '');
}
