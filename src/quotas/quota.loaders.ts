import DataLoader from 'dataloader';
import type { Context } from '../context';
import type { Page } from '../common/pagination';
import { campaignReadScope } from '../campaigns/campaign.service';
import * as repo from './quota.repo';
import { quotaReadScope } from './quota.service';
import type { QuotaType } from './quota.types';

export interface QuotaPage {
  unitIds: readonly number[];
  metric: string;
}

const quotaKey = (unitId: number, metric: string) => `${unitId}|${metric}`;

/** Per-request quota loaders, one DataLoader per (campaign, detail[, metric, page]); every batch is scoped twice (unit and campaign). */
export function createQuotaLoaders(ctx: Context) {
  const quotaPageLoaders = new Map<string, DataLoader<QuotaPage, (repo.QuotaRow | null)[]>>();
  const historyLoaders = new Map<string, DataLoader<number, repo.QuotaChangeRow[]>>();
  const historyCountLoaders = new Map<string, DataLoader<number, number>>();
  const memo = <V>(map: Map<string, V>, key: string, make: () => V): V => {
    let v = map.get(key);
    if (!v) map.set(key, (v = make()));
    return v;
  };

  return {
    /**
     * Quotas of some units (a page, or a single unit) for one campaign metric, null when none or invisible: one promise
     * per call, the calls of one tick in one statement whatever their metrics.
     */
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
