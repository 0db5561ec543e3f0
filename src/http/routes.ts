import type { FastifyInstance } from 'fastify';
import type { MikroORM } from '@mikro-orm/postgresql';
import type { Config } from '../config';
import type { KeySet } from '../auth/keys';
import type { AppMetrics } from '../observability/metrics';
import { databaseAnswers } from '../db/guards';

const LOOPBACK = new Set(['127.0.0.1', '::1', '::ffff:127.0.0.1']);

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
    const ready = await databaseAnswers(() => orm.em.getConnection().execute('select 1'), config.db.readinessTimeoutMs);
    return ready ? { status: 'ready' } : reply.code(503).send({ status: 'database unreachable' });
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
