import type { IncomingMessage } from 'node:http';
import type { RateDecision } from './rate-limit';

/*
 * RateLimit header fields (IETF httpapi draft): clients learn their budget before they hit 429.
 * The context factory records each request's decision here; the HTTP layer copies it onto the response.
 */
const decisions = new WeakMap<IncomingMessage, { decision: RateDecision; windowSeconds: number }>();

export function recordRateDecision(req: IncomingMessage, decision: RateDecision, windowSeconds: number): void {
  decisions.set(req, { decision, windowSeconds });
}

export function rateLimitHeaders(req: IncomingMessage): [string, string][] {
  const d = decisions.get(req);
  if (!d) return [];
  return [
    ['ratelimit-limit', String(d.decision.limit)],
    ['ratelimit-remaining', String(d.decision.remaining)],
    ['ratelimit-reset', String(d.decision.retryAfterSeconds)],
    ['ratelimit-policy', `${d.decision.limit};w=${d.windowSeconds}`],
  ];
}
