import { Args, Ctx, FieldResolver, Info, Resolver, Root } from 'type-graphql';
import type { GraphQLResolveInfo } from 'graphql';
import { selectedFields } from '../common/selected-fields';
import type { Context } from '../context';
import { loaders } from '../context';
import { localIdOf } from '../common/global-id';
import { toConnection, toPage } from '../common/pagination';
import { Unit } from '../units/unit.types';
import { createQuotaLoaders } from './quota.loaders';
import { QuotaHistoryArgs, UnitQuotaArgs } from './quota.inputs';
import { QuotaChangeConnection, QuotaChangeType, QuotaType } from './quota.types';

/** A unit's quota for a campaign metric (Unit.quota): one load, batched with the other units' in one statement. */
export function unitQuota(ctx: Context, unit: Unit, args: UnitQuotaArgs, info: GraphQLResolveInfo): Promise<QuotaType | null> {
  const campaignId = localIdOf('Campaign', args.campaignId);
  if (campaignId === null) return Promise.resolve(null);
  const asked = selectedFields(info);
  const detail = {
    allocation: asked.has('allocatedToChildren') || asked.has('unallocated') || asked.has('overAllocated') || asked.has('childrenWithQuota'),
    assignedBy: asked.has('assignedBy'),
  };
  return loaders(ctx, createQuotaLoaders)
    .quota(campaignId, args.metric.trim(), detail)
    .load(unit.dbId)
    .then((row) => row && QuotaType.from(row));
}

/** Quota fields on Unit, batched per (campaign, metric) across all units of a response. */
@Resolver(() => Unit)
export class UnitQuotaFieldsResolver {
  @FieldResolver(() => QuotaType, {
    nullable: true,
    description: "This unit's quota for a campaign metric: null when none was assigned, or the campaign is not visible to you.",
  })
  quota(@Ctx() ctx: Context, @Root() unit: Unit, @Args() args: UnitQuotaArgs, @Info() info: GraphQLResolveInfo): Promise<QuotaType | null> {
    return unitQuota(ctx, unit, args, info);
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
