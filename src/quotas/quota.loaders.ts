import DataLoader from 'dataloader';
import type { Context } from '../context';
import type { Page } from '../common/pagination';
import { campaignReadScope } from '../campaigns/campaign.service';
import * as repo from './quota.repo';
import { quotaReadScope } from './quota.service';
import type { QuotaType } from './quota.types';

export interface QuotaKey {
  unitId: number;
  metric: string;
}

export interface QuotaPage {
  unitIds: readonly number[];
  metric: string;
}

const quotaKey = (unitId: number, metric: string) => `${unitId}|${metric}`;

/** Per-request quota loaders, one DataLoader per (campaign, metric[, page]); every batch is scoped twice (unit and campaign). */
export function createQuotaLoaders(ctx: Context) {
  const quotaLoaders = new Map<string, DataLoader<QuotaKey, repo.QuotaRow | null, string>>();
  const quotaPageLoaders = new Map<string, DataLoader<QuotaPage, (repo.QuotaRow | null)[]>>();
  const historyLoaders = new Map<string, DataLoader<number, repo.QuotaChangeRow[]>>();
  const historyCountLoaders = new Map<string, DataLoader<number, number>>();
  const memo = <V>(map: Map<string, V>, key: string, make: () => V): V => {
    let v = map.get(key);
    if (!v) map.set(key, (v = make()));
    return v;
  };

  return {
    /** A unit's quota for one campaign metric (null when none or invisible); all metrics of a campaign in one batch. */
    quota(campaignId: number, detail: repo.QuotaDetail) {
      return memo(quotaLoaders, `${campaignId}|${detail.allocation}|${detail.assignedBy}|${detail.record}`, () =>
        new DataLoader<QuotaKey, repo.QuotaRow | null, string>(
          async (keys) => {
            const metrics = [...new Set(keys.map((k) => k.metric))];
            const unitIds = [...new Set(keys.map((k) => k.unitId))];
            const rows = await repo.quotasOfUnits(ctx.em, campaignId, metrics, unitIds, quotaReadScope(ctx), campaignReadScope(ctx), detail);
            const map = new Map(rows.map((r) => [quotaKey(r.unitId, r.metric), r]));
            return keys.map((k) => map.get(quotaKey(k.unitId, k.metric)) ?? null);
          },
          { cacheKeyFn: (k) => quotaKey(k.unitId, k.metric) },
        ),
      );
    },
    /** Quotas of a page of units for one metric (units/unit-prefetch.ts): one promise per page, a tick's pages in one statement. */
    quotaPages(campaignId: number, detail: repo.QuotaDetail) {
      return memo(quotaPageLoaders, `${campaignId}|${detail.allocation}|${detail.assignedBy}|${detail.record}`, () =>
        new DataLoader<QuotaPage, (repo.QuotaRow | null)[]>(
          async (pages) => {
            const metrics = [...new Set(pages.map((p) => p.metric))];
            const unitIds = [...new Set(pages.flatMap((p) => p.unitIds))];
            const rows = await repo.quotasOfUnits(ctx.em, campaignId, metrics, unitIds, quotaReadScope(ctx), campaignReadScope(ctx), detail);
            const map = new Map(rows.map((r) => [quotaKey(r.unitId, r.metric), r]));
            return pages.map((p) => p.unitIds.map((id) => map.get(quotaKey(id, p.metric)) ?? null));
          },
          { cache: false },
        ),
      );
    },
    /** Quotas already loaded (by Unit.quota, or ahead of it for a page: units/unit-prefetch.ts), by settledKey. */
    settled: new Map<string, QuotaType | null>(),
    history(campaignId: number, metric: string, page: Page) {
      return memo(historyLoaders, `${campaignId}|${metric}|${page.limit}|${page.offset}`, () =>
        new DataLoader<number, repo.QuotaChangeRow[]>(async (unitIds) => {
          const rows = await repo.historyPages(ctx.em, campaignId, metric, unitIds, page, quotaReadScope(ctx), campaignReadScope(ctx));
          return unitIds.map((id) => rows.filter((r) => r.unitId === id));
        }),
      );
    },
    historyCount(campaignId: number, metric: string) {
      return memo(historyCountLoaders, `${campaignId}|${metric}`, () =>
        new DataLoader<number, number>(async (unitIds) => {
          const counts = await repo.historyCounts(ctx.em, campaignId, metric, unitIds, quotaReadScope(ctx), campaignReadScope(ctx));
          return unitIds.map((id) => counts.get(id) ?? 0);
        }),
      );
    },
  };
}
