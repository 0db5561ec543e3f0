import { Arg, Args, Ctx, FieldResolver, ID, Info, Resolver, Root } from 'type-graphql';
import type { GraphQLResolveInfo } from 'graphql';
import { selectedFields, selectedFieldsOf } from '../common/selected-fields';
import type { SelectedField } from '../common/lookahead';
import { asksCompletion, standingsAskCompletion } from './campaign-progress.selection';
import type { Context } from '../context';
import { loaders } from '../context';
import { localIdOf } from '../common/global-id';
import { toConnection, toPage } from '../common/pagination';
import { MetricType } from '../metrics/metric.types';
import { Unit } from '../units/unit.types';
import { createCampaignProgressLoaders } from './campaign-progress.loaders';
import { AS_OF, RankedChildrenArgs } from './campaign-progress.inputs';
import { DateScalar } from '../common/scalars';
import { CampaignMetricProgress, CampaignStanding, CampaignStandingConnection, SortDirection, StandingField } from './campaign-progress.types';

export interface CampaignProgressArgs {
  campaignId: string;
  metric?: string | null;
  asOf?: string | null;
}

const settledKey = (unitId: number, campaignId: number, metric: string | null, day: string | null, completion: boolean) =>
  `${unitId}|${campaignId}|${metric}|${day}|${completion}`;

/**
 * A unit's campaign figures (Unit.campaignProgress): one load, batched with the other units' in one statement per
 * depth. Synchronous when loaded ahead for its page (units/unit-prefetch.ts).
 */
export function unitCampaignProgress(
  ctx: Context,
  unit: Unit,
  args: CampaignProgressArgs,
  completion: boolean,
): CampaignMetricProgress[] | Promise<CampaignMetricProgress[]> {
  const id = localIdOf('Campaign', args.campaignId);
  if (id === null) return [];
  const metric = args.metric?.trim() ?? null;
  const day = args.asOf ?? unit.asOf;
  const l = loaders(ctx, createCampaignProgressLoaders);
  const key = settledKey(unit.dbId, id, metric, day, completion);
  const ready = l.settled.get(key);
  if (ready) return ready;
  return l
    .unitFigures(day, completion)
    .load({ unitId: unit.dbId, campaignId: id, metric })
    .then((rows) => {
      const figures = rows.map((r) => CampaignMetricProgress.from(r, MetricType.from(r.metricRow)));
      l.settled.set(key, figures);
      return figures;
    });
}

/** Unit.campaignProgress for a page of units at once (units/unit-prefetch.ts). */
export function prefetchCampaignProgress(ctx: Context, units: readonly Unit[], field: SelectedField, info: GraphQLResolveInfo): Promise<unknown> {
  const args = field.args as unknown as CampaignProgressArgs;
  const completion = asksCompletion(selectedFieldsOf([field.node], info.fragments));
  return Promise.all(units.map((unit) => unitCampaignProgress(ctx, unit, args, completion)));
}

/** Campaign figures on Unit: one statement per field and depth, whatever number of units a response holds. */
@Resolver(() => Unit)
export class UnitCampaignProgressFieldsResolver {
  @FieldResolver(() => [CampaignMetricProgress], {
    description:
      "This unit's progress on each metric of a campaign (catalogue order): value per counting mode, quota, rate, rank and completion among its siblings, projection. " +
      "Empty when the campaign is not visible to you, does not track the metric, does not cover this unit, or this unit's figures lie outside your jurisdiction.",
  })
  campaignProgress(
    @Ctx() ctx: Context,
    @Root() unit: Unit,
    @Arg('campaignId', () => ID, { description: 'The campaign.' }) campaignId: string,
    @Arg('metric', () => String, { nullable: true, description: 'Only this metric code (default: every metric of the campaign).' }) metric: string | null,
    @Arg('asOf', () => DateScalar, { nullable: true, description: AS_OF }) asOf: string | null,
    @Info() info: GraphQLResolveInfo,
  ): CampaignMetricProgress[] | Promise<CampaignMetricProgress[]> {
    return unitCampaignProgress(ctx, unit, { campaignId, metric, asOf }, asksCompletion(selectedFields(info)));
  }

  @FieldResolver(() => CampaignStandingConnection, {
    description:
      "Direct children (active, in the campaign's scope and your jurisdiction) ordered by a campaign figure — default RATE ASC, the units furthest behind first; " +
      'children without a quota come last. Empty when the campaign is not visible to you or does not track the metric.',
  })
  async rankedChildren(@Ctx() ctx: Context, @Root() unit: Unit, @Args() args: RankedChildrenArgs, @Info() info: GraphQLResolveInfo) {
    const page = toPage(args);
    const campaignId = localIdOf('Campaign', args.campaignId) ?? 0;
    const metric = args.metric.trim();
    const by = args.by ?? StandingField.RATE;
    const descending = (args.direction ?? SortDirection.ASC) === SortDirection.DESC;
    const l = loaders(ctx, createCampaignProgressLoaders);
    const day = args.asOf ?? unit.asOf;
    const rows = await l.rankedChildren(campaignId, metric, by, descending, page, day, standingsAskCompletion(info)).load(unit.dbId);
    return toConnection(rows.map((r) => CampaignStanding.from(r, r.rank)), page, () => l.rankedChildrenCount(campaignId, metric, day).load(unit.dbId));
  }
}
