import type { Context } from '../context';
import { BadUserInputError, NotFoundError } from '../common/errors';
import { localIdOf } from '../common/global-id';
import { isUnderPath } from '../common/paths';
import { scope } from '../common/scoped';
import { metricsByCodes } from '../metrics/metric.repo';
import { unitsByIds } from '../units/unit.repo';
import { unitColumns } from '../units/unit.service';
import { Unit } from '../units/unit.types';
import { visibleCampaign } from '../campaigns/campaign.service';
import { metricsOfCampaigns } from '../campaigns/campaign.repo';
import { campaignReadScope } from '../campaigns/campaign.service';
import { CampaignType } from '../campaigns/campaign.types';
import { canReadUnitAt, liveSessionOf, liveStream } from './live-session';
import { CampaignStandingsChanged, UnitFiguresChanged } from './live.types';

const unitRows = (ctx: Context, ids: number[]) => unitsByIds(ctx.em, ids, scope(ctx, 'read', 'Unit', unitColumns));

async function checkMetrics(ctx: Context, metrics: string[] | null | undefined): Promise<Set<string> | null> {
  if (!metrics?.length) return null;
  const known = new Set((await metricsByCodes(ctx.em, metrics)).map((m) => m.code));
  const unknown = metrics.filter((m) => !known.has(m));
  if (unknown.length) throw new BadUserInputError(`Unknown metrics: ${unknown.join(', ')}.`, unknown.map((m) => ({ path: ['metrics', metrics.indexOf(m)], message: `Unknown metric ${m}.` })));
  return known;
}

/** unitFiguresChanged: the units must be visible at subscribe (NOT_FOUND otherwise) and at every event. */
export async function unitFiguresStream(ctx: Context, unitIds: string[], metrics: string[] | null | undefined): Promise<AsyncIterableIterator<UnitFiguresChanged | Error>> {
  const { config } = liveSessionOf(ctx).deps;
  if (unitIds.length === 0 || unitIds.length > config.live.maxUnits) {
    throw BadUserInputError.field(['unitIds'], `unitIds must name 1 to ${config.live.maxUnits} units (LIVE_MAX_UNITS).`);
  }
  const ids = unitIds.map((g) => localIdOf('Unit', g));
  const rows = await unitRows(ctx, [...new Set(ids.filter((i): i is number => i !== null))]);
  const found = new Set(rows.map((r) => r.id));
  const missing = unitIds.filter((_, i) => ids[i] === null || !found.has(ids[i]!));
  if (missing.length) throw new NotFoundError('Unit (unitIds)', missing.join(', '));
  const wanted = await checkMetrics(ctx, metrics);
  return liveStream<number, Set<string>, UnitFiguresChanged>(ctx, {
    keyOf: (c) => (found.has(c.unitId) && (!wanted || wanted.has(c.metric)) ? c.unitId : null),
    merge: (prev, c) => (prev ?? new Set<string>()).add(c.metric),
    async events(ctx, batch) {
      const visible = await unitRows(ctx, [...batch.keys()]);
      const at = new Date();
      return visible.map((row) => Object.assign(new UnitFiguresChanged(), { unit: Unit.from(row), metrics: [...batch.get(row.id)!].sort(), changedAt: at }));
    },
  });
}

/** campaignStandingsChanged: changes of the campaign's metrics inside its scope and the caller's jurisdiction. */
export async function campaignStandingsStream(ctx: Context, campaignId: string): Promise<AsyncIterableIterator<CampaignStandingsChanged | Error>> {
  const campaign = await visibleCampaign(ctx, campaignId);
  const metrics = new Set((await metricsOfCampaigns(ctx.em, [campaign.id], campaignReadScope(ctx))).map((m) => m.code));
  const type = CampaignType.from(campaign);
  return liveStream<number, Map<number, Set<string>>, CampaignStandingsChanged>(ctx, {
    keyOf: (c) => (metrics.has(c.metric) && isUnderPath(c.path, campaign.scopePath) && canReadUnitAt(ctx, c.path) ? campaign.id : null),
    merge: (prev, c) => {
      const units = prev ?? new Map<number, Set<string>>();
      units.set(c.unitId, (units.get(c.unitId) ?? new Set<string>()).add(c.metric));
      return units;
    },
    async events(ctx, batch) {
      const units = batch.get(campaign.id)!;
      const visible = await unitRows(ctx, [...units.keys()]);
      if (visible.length === 0) return [];
      const changed = new Set(visible.flatMap((r) => [...units.get(r.id)!]));
      return [Object.assign(new CampaignStandingsChanged(), { campaign: type, metrics: [...changed].sort(), units: visible.map(Unit.from), changedAt: new Date() })];
    },
  });
}
