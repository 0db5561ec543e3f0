import { Args, Ctx, FieldResolver, Info, Resolver, Root } from 'type-graphql';
import type { GraphQLResolveInfo } from 'graphql';
import { selectedFields, selectedFieldsOf } from '../common/selected-fields';
import type { SelectedField } from '../common/lookahead';
import type { QuotaDetail } from './quota.repo';
import type { Context } from '../context';
import { loaders } from '../context';
import { localIdOf } from '../common/global-id';
import { toConnection, toPage } from '../common/pagination';
import { Unit } from '../units/unit.types';
import { createQuotaLoaders } from './quota.loaders';
import { QuotaHistoryArgs, UnitQuotaArgs } from './quota.inputs';
import { QuotaChangeConnection, QuotaChangeType, QuotaType } from './quota.types';

/** What a quota's selection asks beyond the quota itself (the allocation below it, who assigned it). */
export function quotaDetail(asked: ReadonlySet<string>): QuotaDetail {
  return {
    allocation: asked.has('allocatedToChildren') || asked.has('unallocated') || asked.has('overAllocated') || asked.has('childrenWithQuota'),
    assignedBy: asked.has('assignedBy'),
    record: asked.has('unit') || asked.has('assignedAt'),
  };
}

const settledKey = (campaignId: number, detail: QuotaDetail, metric: string, unitId: number) =>
  `${campaignId}|${detail.allocation}|${detail.assignedBy}|${detail.record}|${metric}|${unitId}`;

/** Loads the quotas of units for a campaign metric into the loaders' settled quotas (those not there yet). */
async function loadQuotas(ctx: Context, units: readonly Unit[], campaignId: number, metric: string, detail: QuotaDetail): Promise<void> {
  const l = loaders(ctx, createQuotaLoaders);
  const wanted = units.filter((u) => !l.settled.has(settledKey(campaignId, detail, metric, u.dbId)));
  if (wanted.length === 0) return;
  const rows = await l.quotaPages(campaignId, detail).load({ unitIds: wanted.map((u) => u.dbId), metric });
  wanted.forEach((u, i) => l.settled.set(settledKey(campaignId, detail, metric, u.dbId), rows[i] && QuotaType.from(rows[i]!)));
}

/**
 * A unit's quota for a campaign metric (Unit.quota): batched with the other units' and metrics' in one statement;
 * synchronous when loaded ahead for its page (units/unit-prefetch.ts).
 */
export function unitQuota(ctx: Context, unit: Unit, args: UnitQuotaArgs, detail: QuotaDetail): QuotaType | null | Promise<QuotaType | null> {
  const campaignId = localIdOf('Campaign', args.campaignId);
  if (campaignId === null) return null;
  const metric = args.metric.trim();
  const settled = loaders(ctx, createQuotaLoaders).settled;
  const key = settledKey(campaignId, detail, metric, unit.dbId);
  const ready = settled.get(key);
  if (ready !== undefined) return ready;
  return loadQuotas(ctx, [unit], campaignId, metric, detail).then(() => settled.get(key) ?? null);
}

/** Unit.quota for a page of units at once (units/unit-prefetch.ts). */
export async function prefetchQuota(ctx: Context, units: readonly Unit[], field: SelectedField, info: GraphQLResolveInfo): Promise<void> {
  const args = field.args as unknown as UnitQuotaArgs;
  const campaignId = localIdOf('Campaign', args.campaignId);
  if (campaignId === null) return;
  await loadQuotas(ctx, units, campaignId, args.metric.trim(), quotaDetail(selectedFieldsOf([field.node], info.fragments)));
}

/** Quota fields on Unit, batched per (campaign, metric) across all units of a response. */
@Resolver(() => Unit)
export class UnitQuotaFieldsResolver {
  @FieldResolver(() => QuotaType, {
    nullable: true,
    description: "This unit's quota for a campaign metric: null when none was assigned, or the campaign is not visible to you.",
  })
  quota(@Ctx() ctx: Context, @Root() unit: Unit, @Args() args: UnitQuotaArgs, @Info() info: GraphQLResolveInfo): QuotaType | null | Promise<QuotaType | null> {
    return unitQuota(ctx, unit, args, quotaDetail(selectedFields(info)));
  }

  @FieldResolver(() => QuotaChangeConnection, { description: "Every change of this unit's quota for a campaign metric, newest first." })
  async quotaHistory(@Ctx() ctx: Context, @Root() unit: Unit, @Args() args: QuotaHistoryArgs) {
    const page = toPage(args);
    const campaignId = localIdOf('Campaign', args.campaignId) ?? 0;
    const l = loaders(ctx, createQuotaLoaders);
    const metric = args.metric.trim();
    const rows = await l.history(campaignId, metric, page).load(unit.dbId);
    return toConnection(rows.map(QuotaChangeType.from), page, () => l.historyCount(campaignId, metric).load(unit.dbId));
  }
}
