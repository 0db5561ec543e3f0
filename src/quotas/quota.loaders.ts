import DataLoader from 'dataloader';
import type { Context } from '../context';
import type { Page } from '../common/pagination';
import { campaignReadScope } from '../campaigns/campaign.service';
import * as repo from './quota.repo';
import { quotaReadScope } from './quota.service';

/** Per-request quota loaders, one DataLoader per (campaign, metric[, page]); every batch is scoped twice (unit and campaign). */
export function createQuotaLoaders(ctx: Context) {
  const quotaLoaders = new Map<string, DataLoader<number, repo.QuotaRow | null>>();
  const historyLoaders = new Map<string, DataLoader<number, repo.QuotaChangeRow[]>>();
  const historyCountLoaders = new Map<string, DataLoader<number, number>>();
  const memo = <V>(map: Map<string, V>, key: string, make: () => V): V => {
    let v = map.get(key);
    if (!v) map.set(key, (v = make()));
    return v;
  };

  return {
    /** A unit's quota for one campaign metric (null when none or invisible). */
    quota(campaignId: number, metric: string, detail: repo.QuotaDetail) {
      return memo(quotaLoaders, `${campaignId}|${metric}|${detail.allocation}|${detail.assignedBy}`, () =>
        new DataLoader<number, repo.QuotaRow | null>(async (unitIds) => {
          const rows = await repo.quotasOfUnits(ctx.em, campaignId, metric, unitIds, quotaReadScope(ctx), campaignReadScope(ctx), detail);
          const map = new Map(rows.map((r) => [r.unitId, r]));
          return unitIds.map((id) => map.get(id) ?? null);
        }),
      );
    },
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
