import { Counter, Gauge, Histogram, Registry, collectDefaultMetrics } from 'prom-client';
import type { MikroORM } from '@mikro-orm/postgresql';

/** Prometheus metrics of one app instance (own registry: several apps may share a process in tests). */
export interface AppMetrics {
  registry: Registry;
  operations: Counter<'operation' | 'type'>;
  duration: Histogram<'operation'>;
  errors: Counter<'code'>;
  rollupWrite: Histogram;
  /** Rows sent by /exports/figures. */
  exportRows: Counter;
}

let shared: AppMetrics | undefined;

/** Rollup writers record their latency here (the progress feature observes `rollupWrite`). */
export function appMetrics(): AppMetrics | undefined {
  return shared;
}

export function createMetrics(orm: MikroORM): AppMetrics {
  const registry = new Registry();
  collectDefaultMetrics({ register: registry });
  const pool = () => (orm.em.getConnection().getKnex().client as { pool?: { numUsed(): number; numFree(): number; numPendingAcquires(): number } }).pool;
  new Gauge({
    name: 'db_pool_connections',
    help: 'Database pool connections by state',
    labelNames: ['state'],
    registers: [registry],
    collect() {
      const p = pool();
      if (!p) return;
      this.set({ state: 'used' }, p.numUsed());
      this.set({ state: 'free' }, p.numFree());
      this.set({ state: 'pending' }, p.numPendingAcquires());
    },
  });
  shared = {
    registry,
    operations: new Counter({ name: 'graphql_operations_total', help: 'GraphQL operations by name and type', labelNames: ['operation', 'type'], registers: [registry] }),
    duration: new Histogram({
      name: 'graphql_operation_duration_seconds',
      help: 'GraphQL operation latency',
      labelNames: ['operation'],
      buckets: [0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5],
      registers: [registry],
    }),
    errors: new Counter({ name: 'graphql_errors_total', help: 'GraphQL errors by code', labelNames: ['code'], registers: [registry] }),
    rollupWrite: new Histogram({
      name: 'rollup_write_duration_seconds',
      help: 'Latency of progress writes including their rollup updates',
      buckets: [0.002, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1],
      registers: [registry],
    }),
    exportRows: new Counter({ name: 'vneid_export_rows_total', help: 'Rows streamed by /exports/figures', registers: [registry] }),
  };
  return shared;
}
