import type { FastifyInstance } from 'fastify';
import type { MikroORM } from '@mikro-orm/postgresql';
import type { Config } from '../config';
import type { KeySet } from '../auth/keys';
import type { AppMetrics } from '../observability/metrics';

const LOOPBACK = new Set(['127.0.0.1', '::1', '::ffff:127.0.0.1']);
const READINESS_TIMEOUT_MS = 2000;

export interface Readiness {
  /** False until start-up work (demo data) is done, so load balancers wait for it. */
  ready: boolean;
}

/** Health, readiness, the public signing keys and Prometheus metrics. */
export function registerRoutes(app: FastifyInstance, deps: { config: Config; orm: MikroORM; keys: KeySet; metrics: AppMetrics; readiness: Readiness }): void {
  const { config, orm, keys, metrics, readiness } = deps;

  app.get('/healthz', async () => ({ status: 'ok' }));

  app.get('/readyz', async (_request, reply) => {
    if (!readiness.ready) return reply.code(503).send({ status: 'starting' });
    let timer: NodeJS.Timeout | undefined;
    const timeout = new Promise<never>((_, reject) => (timer = setTimeout(() => reject(new Error('timeout')), READINESS_TIMEOUT_MS)));
    try {
      await Promise.race([orm.em.getConnection().execute('select 1'), timeout]);
      return { status: 'ready' };
    } catch {
      return reply.code(503).send({ status: 'database unreachable' });
    } finally {
      clearTimeout(timer);
    }
  });

  app.get('/.well-known/jwks.json', async (_request, reply) => {
    void reply.header('cache-control', 'public, max-age=300');
    return keys.jwks;
  });

  if (config.metricsEnabled) {
    app.get('/metrics', async (request, reply) => {
      // request.ip is the client behind trusted proxies, so a proxied outsider is not "loopback".
      const authorised = config.metricsToken ? request.headers.authorization === `Bearer ${config.metricsToken}` : LOOPBACK.has(request.ip);
      if (!authorised) return reply.code(403).send({ error: 'metrics are served to loopback or with METRICS_TOKEN only' });
      void reply.header('content-type', metrics.registry.contentType);
      return metrics.registry.metrics();
    });
  }
}
