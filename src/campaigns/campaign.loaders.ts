import DataLoader from 'dataloader';
import type { Context } from '../context';
import * as repo from './campaign.repo';
import { campaignReadScope } from './campaign.service';

/** Per-request campaign loaders; every batch runs through the caller's jurisdiction. */
export function createCampaignLoaders(ctx: Context) {
  return {
    /** Scoped campaigns by id (null when invisible). */
    byId: new DataLoader<number, repo.CampaignRow | null>(async (ids) => {
      const rows = await repo.campaignsByIds(ctx.em, ids, campaignReadScope(ctx));
      const map = new Map(rows.map((r) => [r.id, r]));
      return ids.map((id) => map.get(id) ?? null);
    }),
    /** The metrics of each campaign. */
    metrics: new DataLoader<number, repo.CampaignMetricRow[]>(async (ids) => {
      const rows = await repo.metricsOfCampaigns(ctx.em, ids, campaignReadScope(ctx));
      return ids.map((id) => rows.filter((r) => r.campaignId === id));
    }),
  };
}
