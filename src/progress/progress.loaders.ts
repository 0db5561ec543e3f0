import DataLoader from 'dataloader';
import type { Context } from '../context';
import { scope } from '../common/scoped';
import type { Page } from '../common/pagination';
import { todayInVietnam } from '../common/scalars';
import { allMetrics } from '../metrics/metric.repo';
import { metricCatalogue, reloadedMetricCatalogue } from '../metrics/metric-catalogue';
import type { MetricRow } from '../metrics/metric.types';
import * as repo from './progress.repo';
import type { HistoryRow, ProgressFigure } from './progress.types';

export interface FigureKey {
  unitId: number;
  path: string;
  metric: string;
  asOf: string;
}

const keyOf = (k: { unitId: number; metric: string; asOf?: string; from?: string | null; to?: string }) => JSON.stringify([k.unitId, k.metric, k.asOf, k.from, k.to]);

/**
 * Per-request progress loaders: whatever number of units a query shows, each kind of figure costs one
 * statement, always through the caller's jurisdiction over Progress (alias u = the unit asked about).
 * Resolvers call every load of a field synchronously (the metric code is checked against the catalogue
 * afterwards), so loads of one depth always batch together and the statement count is deterministic.
 */
export function createProgressLoaders(ctx: Context) {
  const readScope = () => scope(ctx, 'read', 'Progress', { path: 'u.path' });
  const historyPageLoaders = new Map<string, DataLoader<number, (HistoryRow & { unitId: number })[]>>();
  const historyCountLoaders = new Map<string, DataLoader<number, number>>();
  let catalogue: Promise<Map<string, MetricRow>> | undefined;
  const known = new Map<string, Promise<MetricRow | undefined>>();

  return {
    /** The metric catalogue, read once per request (names and descriptions as they are now). */
    metrics: () => (catalogue ??= allMetrics(ctx.em).then((rows) => new Map(rows.map((m) => [m.code, m])))),
    /**
     * Whether a metric code exists, from the process's catalogue (codes are permanent: metric-catalogue.ts), read
     * again once per request for a code it does not hold.
     */
    knownMetric(code: string): Promise<MetricRow | undefined> {
      let found = known.get(code);
      if (!found) {
        found = metricCatalogue(ctx.em).then((c) => c.byCode.get(code) ?? reloadedMetricCatalogue(ctx.em).then((r) => r.byCode.get(code)));
        known.set(code, found);
      }
      return found;
    },
    /** Figures already loaded (by Unit.progress, or ahead of it for a page: units/unit-prefetch.ts), by figureKey. */
    figures: new Map<string, ProgressFigure | null>(),
    /** Rollup sums over windows (as of a day, or since a day): null when the unit is out of jurisdiction. */
    window: new DataLoader<repo.WindowKey, repo.WindowSum | null, string>((keys) => repo.rollupWindows(ctx.em, keys, todayInVietnam(), readScope()), {
      cacheKeyFn: (k) => keyOf({ unitId: k.unitId, metric: k.metric, from: k.from, to: k.to }),
    }),
    /** Windows of some units at once (a page, or a single unit): one promise per call, the calls of one tick in one statement. */
    windowPages: new DataLoader<readonly repo.WindowKey[], (repo.WindowSum | null)[]>(
      async (pages) => {
        const sums = await repo.rollupWindows(ctx.em, pages.flat(), todayInVietnam(), readScope());
        let at = 0;
        return pages.map((page) => sums.slice(at, (at += page.length)));
      },
      { cache: false },
    ),
    reportingUnits: new DataLoader<FigureKey, number, string>(
      (keys) => repo.reportingUnitCounts(ctx.em, keys.map((k) => ({ unitId: k.unitId, path: k.path, metric: k.metric, day: k.asOf })), readScope()),
      { cacheKeyFn: keyOf },
    ),
    series: new DataLoader<{ unitId: number; metric: string; from: string; to: string }, { date: string; value: number }[], string>(
      async (keys) => {
        const rows = await repo.rollupSeries(ctx.em, keys, readScope());
        const out = keys.map((): { date: string; value: number }[] => []);
        for (const r of rows) out[r.i].push({ date: r.date, value: Number(r.value) });
        return out;
      },
      { cacheKeyFn: keyOf },
    ),
    reasons: new DataLoader<{ unitId: number; day: string }, { metric: string; value: number }[], string>(
      async (keys) => {
        const rows = await repo.reasonFigures(ctx.em, keys, readScope());
        const out = keys.map((): { metric: string; value: number }[] => []);
        for (const r of rows) out[r.i].push({ metric: r.metric, value: Number(r.value) });
        return out;
      },
      { cacheKeyFn: (k) => `${k.unitId}|${k.day}` },
    ),
    historyPage(metric: string | null, page: Page) {
      const key = `${metric}|${page.limit}|${page.offset}`;
      let loader = historyPageLoaders.get(key);
      if (!loader) {
        loader = new DataLoader(async (unitIds) => {
          const rows = await repo.historyPages(ctx.em, unitIds, metric, page, readScope());
          return unitIds.map((id) => rows.filter((r) => r.unitId === id));
        });
        historyPageLoaders.set(key, loader);
      }
      return loader;
    },
    historyCount(metric: string | null) {
      const key = `${metric}`;
      let loader = historyCountLoaders.get(key);
      if (!loader) {
        loader = new DataLoader(async (unitIds) => {
          const counts = await repo.historyCounts(ctx.em, unitIds, metric, readScope());
          return unitIds.map((id) => counts.get(id) ?? 0);
        });
        historyCountLoaders.set(key, loader);
      }
      return loader;
    },
  };
}

export type ProgressLoaders = ReturnType<typeof createProgressLoaders>;
