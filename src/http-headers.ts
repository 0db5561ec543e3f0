import type http from 'node:http';
import type { Config } from './config';

/** Headers every response carries: no sniffing, no framing, no caching of API answers. */
export function securityHeaders(res: http.ServerResponse, config: Config): void {
  res.setHeader('x-content-type-options', 'nosniff');
  res.setHeader('x-frame-options', 'DENY');
  res.setHeader('referrer-policy', 'no-referrer');
  res.setHeader('cross-origin-resource-policy', 'same-origin');
  res.setHeader('content-security-policy', "default-src 'none'; frame-ancestors 'none'");
  res.setHeader('cache-control', 'no-store');
  if (config.env === 'production') res.setHeader('strict-transport-security', 'max-age=31536000; includeSubDomains');
}

/** Response headers a browser script may read (CORS hides all but a few by default). */
export const EXPOSED_HEADERS = 'x-request-id, retry-after, www-authenticate, ratelimit-limit, ratelimit-remaining, ratelimit-reset, ratelimit-policy, etag, x-response-cache';

/**
 * CORS for browser clients: only origins listed in CORS_ORIGINS. A request from any other origin is
 * refused outright (403), preflight or not; requests without an Origin (servers, curl) pass.
 * Returns false when the response has been sent.
 */
export function applyCors(req: http.IncomingMessage, res: http.ServerResponse, config: Config): boolean {
  const origin = req.headers.origin;
  if (!origin) return true;
  // The API's own pages (the IDE) call it from its own origin: browsers send Origin on every POST.
  if (sameOrigin(origin, req.headers.host)) return true;
  if (!config.corsOrigins.includes(origin)) {
    res.statusCode = 403;
    res.setHeader('content-type', 'application/json; charset=utf-8');
    res.end(JSON.stringify({ errors: [{ message: `Origin ${origin} is not allowed (CORS_ORIGINS).`, extensions: { code: 'FORBIDDEN' } }] }));
    return false;
  }
  res.setHeader('access-control-allow-origin', origin);
  res.setHeader('vary', 'Origin');
  res.setHeader('access-control-expose-headers', EXPOSED_HEADERS);
  if (req.method === 'OPTIONS') {
    res.setHeader('access-control-allow-methods', 'GET, POST, OPTIONS');
    res.setHeader('access-control-allow-headers', 'authorization, content-type, apollo-require-preflight, x-request-id');
    res.setHeader('access-control-max-age', '600');
    res.statusCode = 204;
    res.end();
    return false;
  }
  return true;
}

function sameOrigin(origin: string, host: string | undefined): boolean {
  try {
    return host !== undefined && new URL(origin).host === host;
  } catch {
    return false;
  }
}
