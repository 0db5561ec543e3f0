import type { Context } from '../context';
import type { OperationRecorder } from '../observability/request-log.plugin';
import type { ResponseCache } from './response-cache';
import { responseCacheKey } from './cache-key';
import { cacheHeaders } from './response-cache.plugin';

/** A POST body that names its document by text (no persisted-query hash or other extensions). */
export interface PostedOperation {
  query: string;
  operationName?: string | null;
  variables?: Record<string, unknown> | null;
}

export function postedOperation(body: unknown): PostedOperation | null {
  if (!body || typeof body !== 'object' || Array.isArray(body)) return null;
  const { query, operationName, variables, extensions } = body as Record<string, unknown>;
  if (typeof query !== 'string' || extensions !== undefined) return null;
  if (operationName != null && typeof operationName !== 'string') return null;
  if (variables != null && (typeof variables !== 'object' || Array.isArray(variables))) return null;
  return { query, operationName, variables: variables as PostedOperation['variables'] };
}

export interface CachedAnswer {
  body: Buffer;
  headers: [string, string][];
}

const DATA_OPEN = Buffer.from('{"data":');

/**
 * The shared answer to this operation for this caller, ready to write, or null (Apollo then runs it).
 * Only answers the plugin stored are found here: Apollo decided once, for the same document, variables and
 * grants, that the operation is a cacheable query, allowed and within the limits, so none of that is redone.
 */
export function cachedAnswer(
  cache: ResponseCache,
  op: PostedOperation,
  ctx: Context,
  extensions: () => Record<string, unknown>,
  record: OperationRecorder,
  started: bigint,
): CachedAnswer | null {
  const principal = ctx.principal;
  if (!principal) return null;
  const json = cache.get(responseCacheKey(op.query, op.operationName, op.variables, principal), principal.dataVersion);
  if (!json) return null;
  const body = Buffer.concat([DATA_OPEN, json, Buffer.from(`,"extensions":${JSON.stringify(extensions())}}`)]);
  record(ctx.log, op.operationName, 'query', Number(process.hrtime.bigint() - started) / 1e9, []);
  return { body, headers: cacheHeaders(ctx) };
}
