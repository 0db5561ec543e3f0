import type { FastifyInstance } from 'fastify';
import cors from '@fastify/cors';
import helmet from 'helmet';
import type { Config } from '../config';
import { graphqlError } from './replies';

/**
 * Headers every response carries (helmet: no sniffing, no framing, no referrer, a CSP that allows
 * nothing; HSTS in production), no caching of API answers unless a route says otherwise, and CORS
 * for browser clients from the CORS_ORIGINS allow-list only.
 */
export async function registerSecurity(app: FastifyInstance, config: Config): Promise<void> {
  // Built once: @fastify/helmet would rebuild the middleware on every request.
  const securityHeaders = helmet({
    contentSecurityPolicy: { useDefaults: false, directives: { defaultSrc: ["'none'"], frameAncestors: ["'none'"] } },
    frameguard: { action: 'deny' },
    referrerPolicy: { policy: 'no-referrer' },
    crossOriginResourcePolicy: { policy: 'same-origin' },
    strictTransportSecurity: config.env === 'production' ? { maxAge: 31_536_000, includeSubDomains: true } : false,
  });
  app.addHook('onRequest', (request, reply, done) => {
    reply.header('cache-control', 'no-store');
    securityHeaders(request.raw, reply.raw, (err?: unknown) => done(err as Error | undefined));
  });

  // A request from an origin outside the allow-list is refused outright (403), preflight or not;
  // requests without an Origin (servers, curl) pass.
  const allowed = new Set(config.corsOrigins);
  app.addHook('onRequest', (request, reply, done) => {
    const origin = request.headers.origin;
    // The API's own pages (the IDE) call it from its own origin: browsers send Origin on every POST.
    if (origin === undefined || allowed.has(origin) || sameOrigin(origin, request.headers.host)) return done();
    void reply.code(403).send(graphqlError(`Origin ${origin} is not allowed (CORS_ORIGINS).`, 'FORBIDDEN'));
  });
  await app.register(cors, {
    origin: [...config.corsOrigins],
    methods: ['GET', 'POST', 'OPTIONS'],
    allowedHeaders: ['authorization', 'content-type', 'apollo-require-preflight', 'x-request-id'],
    exposedHeaders: EXPOSED_HEADERS,
    maxAge: 600,
  });
}

/** Response headers a browser script may read (CORS hides all but a few by default). */
export const EXPOSED_HEADERS = ['x-request-id', 'retry-after', 'www-authenticate', 'ratelimit-limit', 'ratelimit-remaining', 'ratelimit-reset', 'ratelimit-policy', 'etag', 'x-response-cache'];

function sameOrigin(origin: string, host: string | undefined): boolean {
  try {
    return host !== undefined && new URL(origin).host === host;
  } catch {
    return false;
  }
}
