import { createHash } from 'node:crypto';

/**
 * ETag and Cache-Control for answers to GET queries (persisted queries of figures: the same URL asks the same
 * question). The tag hashes `data` only: the answer's extensions (request id, statement count) differ on every
 * request and say nothing about the figures. The answer depends on who asks, so caches are private and must
 * revalidate; a client sending the tag back with If-None-Match gets 304 without a body when nothing changed.
 */
export function conditionalGet(
  requestHeaders: { 'if-none-match'?: string },
  body: string,
): { status: 200 | 304; headers: [string, string][] } | null {
  let parsed: { data?: unknown; errors?: unknown[] };
  try {
    parsed = JSON.parse(body) as typeof parsed;
  } catch {
    return null;
  }
  if (parsed.errors?.length || parsed.data == null) return null;
  const etag = `"${createHash('sha256').update(JSON.stringify(parsed.data)).digest('base64url').slice(0, 27)}"`;
  const headers: [string, string][] = [
    ['etag', etag],
    ['cache-control', 'private, no-cache'],
    ['vary', 'Authorization, Accept'],
  ];
  const sent = requestHeaders['if-none-match'];
  const matches = sent !== undefined && sent.split(',').some((t) => t.trim().replace(/^W\//, '') === etag);
  return { status: matches ? 304 : 200, headers };
}
