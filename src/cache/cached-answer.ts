import type { Context } from '../context';
import type { OperationRecorder } from '../observability/request-log.plugin';
import type { ResponseCache } from './response-cache';
import { responseCacheKey } from './cache-key';
import { cacheHeaders } from './response-cache.plugin';
import { InFlight } from './in-flight';

/** A POST body that names its document by text (no persisted-query hash or other extensions). */
export interface PostedOperation {
  query: string;
  operationName?: string | null;
  variables?: Record<string, unknown> | null;
}

/**
 * Whether the answer is plain `application/json` as Apollo would choose it: no Accept header, any type, or JSON
 * without the GraphQL response type (Apollo negotiates the other cases itself, on its own path).
 */
export function acceptsPlainJson(accept: string | undefined): boolean {
  return accept === undefined || accept === '*/*' || (accept.includes('application/json') && !accept.includes('graphql-response'));
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

/** A stored answer to send, or, when this caller computes an answer others may wait for, what to call when done. */
export interface Lookup {
  hit?: CachedAnswer;
  release?: () => void;
}

/**
 * Shared answers looked up before Apollo. Only answers the plugin stored are found here: Apollo decided once, for
 * the same document, variables and grants, that the operation is a cacheable query, allowed and within the limits,
 * so none of that is redone. A missing or stale answer (a write advanced the version) is computed by one caller
 * while the others with the same key wait for it.
 */
export class SharedAnswers {
  private readonly inFlight = new InFlight();

  constructor(
    private readonly cache: ResponseCache,
    private readonly record: OperationRecorder,
  ) {}

  /** Known shareable, or not decided yet and surely no mutation (the word is absent from the text). */
  private mayShare(query: string): boolean {
    const verdict = this.cache.shareable(query);
    return verdict ?? !query.includes('mutation');
  }

  async lookup(op: PostedOperation, ctx: Context, extensions: () => Record<string, unknown>, started: bigint): Promise<Lookup> {
    const principal = ctx.principal;
    // A document Apollo found unshareable (a mutation, say) never has an answer stored: no key to compute.
    if (!principal || this.cache.shareable(op.query) === false) return {};
    const key = responseCacheKey(op.query, op.operationName, op.variables, principal);
    const version = principal.dataVersion;
    let json = this.cache.get(key, version);
    if (!json && this.mayShare(op.query)) {
      const running = this.inFlight.running(key, version);
      if (!running) return { release: this.inFlight.start(key, version) };
      await running;
      json = this.cache.get(key, version);
    }
    if (!json) return {};
    const body = Buffer.concat([DATA_OPEN, json, Buffer.from(`,"extensions":${JSON.stringify(extensions())}}`)]);
    this.record(ctx, op.operationName, 'query', Number(process.hrtime.bigint() - started) / 1e9, []);
    return { hit: { body, headers: cacheHeaders(ctx) } };
  }
}
