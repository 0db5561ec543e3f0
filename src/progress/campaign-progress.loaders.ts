import DataLoader from 'dataloader';
import type { Context } from '../context';
import { allOf, scope } from '../common/scoped';
import type { Page } from '../common/pagination';
import { todayInVietnam } from '../common/scalars';
import { campaignReadScope } from '../campaigns/campaign.service';
import { unitColumns } from '../units/unit.service';
import type { UnitLevel } from '../units/unit-level';
import * as repo from './campaign-progress.repo';

/**
 * Per-request loaders of campaign figures. A unit's campaign figures need its Progress and its Quota to be in
 * the caller's jurisdiction (alias u), and the campaign to be visible; lists of units also need the Unit itself.
 * One statement per field and depth: every load of a field is keyed so that one batch answers it.
 */
export function createCampaignProgressLoaders(ctx: Context) {
  const figureScope = () => allOf(scope(ctx, 'read', 'Progress', { path: 'u.path' }), scope(ctx, 'read', 'Quota', { path: 'u.path' }));
  const listScope = () => allOf(scope(ctx, 'read', 'Unit', unitColumns), figureScope());
  const memo = new Map<string, unknown>();
  const once = <V>(key: string, make: () => V): V => {
    if (!memo.has(key)) memo.set(key, make());
    return memo.get(key) as V;
  };
  type FigureWithMetric = Awaited<ReturnType<typeof repo.unitCampaignFigures>>[number];

  return {
    /** A unit's figures for a campaign's metrics (or one of them); empty when not visible. */
    unitFigures: new DataLoader<repo.UnitCampaignKey, FigureWithMetric[], string>(
      async (keys) => {
        const rows = await repo.unitCampaignFigures(ctx.em, keys, todayInVietnam(), figureScope(), campaignReadScope(ctx));
        const out = keys.map((): FigureWithMetric[] => []);
        for (const r of rows) out[r.i].push(r);
        return out;
      },
      { cacheKeyFn: (k) => JSON.stringify([k.unitId, k.campaignId, k.metric]) },
    ),
    rankedChildren(campaignId: number, metric: string, by: repo.StandingOrder, descending: boolean, page: Page) {
      return once(`children|${campaignId}|${metric}|${by}|${descending}|${page.limit}|${page.offset}`, () =>
        new DataLoader<number, repo.StandingRow[]>(async (parentIds) => {
          const rows = await repo.rankedChildrenPages(ctx.em, parentIds, campaignId, metric, by, descending, page, todayInVietnam(), listScope(), campaignReadScope(ctx));
          return parentIds.map((id) => rows.filter((r) => r.parentId === id));
        }),
      );
    },
    rankedChildrenCount(campaignId: number, metric: string) {
      return once(`childCount|${campaignId}|${metric}`, () =>
        new DataLoader<number, number>(async (parentIds) => {
          const counts = await repo.rankedChildrenCounts(ctx.em, parentIds, campaignId, metric, listScope(), campaignReadScope(ctx));
          return parentIds.map((id) => counts.get(id) ?? 0);
        }),
      );
    },
    ranking(metric: string, level: UnitLevel, page: Page) {
      return once(`ranking|${metric}|${level}|${page.limit}|${page.offset}`, () =>
        new DataLoader<number, repo.StandingRow[]>(async (campaignIds) => {
          const rows = await repo.rankingPages(ctx.em, campaignIds, metric, level, page, todayInVietnam(), listScope(), campaignReadScope(ctx));
          return campaignIds.map((id) => rows.filter((r) => r.campaignId === id));
        }),
      );
    },
    rankingCount(metric: string, level: UnitLevel) {
      return once(`rankingCount|${metric}|${level}`, () =>
        new DataLoader<number, number>(async (campaignIds) => {
          const counts = await repo.rankingCounts(ctx.em, campaignIds, metric, level, listScope(), campaignReadScope(ctx));
          return campaignIds.map((id) => counts.get(id) ?? 0);
        }),
      );
    },
  };
}
