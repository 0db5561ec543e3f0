import DataLoader from 'dataloader';
import type { Context } from '../context';
import { allOf, scope } from '../common/scoped';
import type { Page } from '../common/pagination';
import { todayInVietnam } from '../common/scalars';
import { campaignReadScope } from '../campaigns/campaign.service';
import { unitColumns } from '../units/unit.service';
import type { UnitLevel } from '../units/unit-level';
import * as repo from './campaign-progress.repo';
import type { CampaignMetricProgress } from './campaign-progress.types';

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
    /** Figures already turned into answers (by Unit.campaignProgress, or ahead of it for a page), by unit and arguments. */
    settled: new Map<string, CampaignMetricProgress[]>(),
    /**
     * A unit's figures for a campaign's metrics (or one of them), as of a day (null: today), on the tree in force on
     * the campaign's end day; empty when not visible. `completion`: with completedOn / completionOrder.
     */
    unitFigures(day: string | null, completion: boolean) {
      return once(`figures|${day}|${completion}`, () =>
        new DataLoader<repo.UnitCampaignKey, FigureWithMetric[], string>(
          async (keys) => {
            const rows = await repo.unitCampaignFigures(ctx.em, keys, day ?? todayInVietnam(), figureScope(), campaignReadScope(ctx), completion);
            const out = keys.map((): FigureWithMetric[] => []);
            for (const r of rows) out[r.i].push(r);
            return out;
          },
          { cacheKeyFn: (k) => JSON.stringify([k.unitId, k.campaignId, k.metric]) },
        ),
      );
    },
    rankedChildren(campaignId: number, metric: string, by: repo.StandingOrder, descending: boolean, page: Page, day: string | null, completion: boolean) {
      return once(`children|${campaignId}|${metric}|${by}|${descending}|${page.limit}|${page.offset}|${day}|${completion}`, () =>
        new DataLoader<number, repo.StandingRow[]>(async (parentIds) => {
          const rows = await repo.rankedChildrenPages(ctx.em, parentIds, campaignId, metric, by, descending, page, day ?? todayInVietnam(), listScope(), campaignReadScope(ctx), completion);
          return parentIds.map((id) => rows.filter((r) => r.parentId === id));
        }),
      );
    },
    rankedChildrenCount(campaignId: number, metric: string, day: string | null = null) {
      return once(`childCount|${campaignId}|${metric}|${day}`, () =>
        new DataLoader<number, number>(async (parentIds) => {
          const counts = await repo.rankedChildrenCounts(ctx.em, parentIds, campaignId, metric, day ?? todayInVietnam(), listScope(), campaignReadScope(ctx));
          return parentIds.map((id) => counts.get(id) ?? 0);
        }),
      );
    },
    ranking(metric: string, level: UnitLevel, page: Page, day: string | null, completion: boolean) {
      return once(`ranking|${metric}|${level}|${page.limit}|${page.offset}|${day}|${completion}`, () =>
        new DataLoader<number, repo.StandingRow[]>(async (campaignIds) => {
          const rows = await repo.rankingPages(ctx.em, campaignIds, metric, level, page, day ?? todayInVietnam(), listScope(), campaignReadScope(ctx), completion);
          return campaignIds.map((id) => rows.filter((r) => r.campaignId === id));
        }),
      );
    },
    rankingCount(metric: string, level: UnitLevel, day: string | null = null) {
      return once(`rankingCount|${metric}|${level}|${day}`, () =>
        new DataLoader<number, number>(async (campaignIds) => {
          const counts = await repo.rankingCounts(ctx.em, campaignIds, metric, level, day ?? todayInVietnam(), listScope(), campaignReadScope(ctx));
          return campaignIds.map((id) => counts.get(id) ?? 0);
        }),
      );
    },
  };
}
