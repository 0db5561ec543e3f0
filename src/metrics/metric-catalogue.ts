import type { EntityManager } from '@mikro-orm/postgresql';
import { versionedMetrics } from './metric.repo';
import type { MetricRow } from './metric.types';

export interface MetricCatalogue {
  /** metric_catalogue.version the rows were read at; writers pass it so the database can say when it is stale. */
  version: number;
  byCode: ReadonlyMap<string, MetricRow>;
  pipeline: readonly MetricRow[];
}

/** Per database driver (one per ORM), so two apps in one process (tests) never share a copy. */
const cache = new WeakMap<object, Promise<MetricCatalogue>>();

/**
 * The metric catalogue, read once per process. Metrics are only ever added (codes and rules never change), and
 * progress_report_write refuses a stale version, so a cached copy is refreshed only when the database says so
 * (forgetMetricCatalogue) or a code is not in it.
 */
export function metricCatalogue(em: EntityManager): Promise<MetricCatalogue> {
  const key = em.getDriver();
  let loading = cache.get(key);
  if (!loading) {
    const load = versionedMetrics(em).then(({ version, metrics }) => ({
      version,
      byCode: new Map(metrics.map((m) => [m.code, m])),
      pipeline: metrics.filter((m) => m.pipelineOrder != null),
    }));
    load.catch(() => {
      if (cache.get(key) === load) cache.delete(key);
    });
    cache.set(key, load);
    loading = load;
  }
  return loading;
}

export function forgetMetricCatalogue(em: EntityManager): void {
  cache.delete(em.getDriver());
}

/** The catalogue read again: after a code was not found in the cached copy (another process may have added it). */
export function reloadedMetricCatalogue(em: EntityManager): Promise<MetricCatalogue> {
  forgetMetricCatalogue(em);
  return metricCatalogue(em);
}
