import { Args, Ctx, FieldResolver, Info, Resolver, Root } from 'type-graphql';
import type { GraphQLResolveInfo } from 'graphql';
import { standingsAskCompletion } from './campaign-progress.selection';
import type { Context } from '../context';
import { loaders } from '../context';
import { toConnection, toPage } from '../common/pagination';
import { CampaignType } from '../campaigns/campaign.types';
import { createCampaignProgressLoaders } from './campaign-progress.loaders';
import { CampaignRankingArgs } from './campaign-progress.inputs';
import { CampaignStanding, CampaignStandingConnection } from './campaign-progress.types';

@Resolver(() => CampaignType)
export class CampaignRankingFieldsResolver {
  @FieldResolver(() => CampaignStandingConnection, {
    description:
      "The active units of a level inside the campaign's scope and your jurisdiction, ranked by rate desc, then value desc, then code " +
      '(units without a quota last). Empty when the campaign does not track the metric.',
  })
  async ranking(@Ctx() ctx: Context, @Root() campaign: CampaignType, @Args() args: CampaignRankingArgs, @Info() info: GraphQLResolveInfo) {
    const page = toPage(args);
    const metric = args.metric.trim();
    const l = loaders(ctx, createCampaignProgressLoaders);
    const day = args.asOf ?? null;
    const rows = await l.ranking(metric, args.level, page, day, standingsAskCompletion(info)).load(campaign.dbId);
    return toConnection(rows.map((r) => CampaignStanding.from(r, r.position)), page, () => l.rankingCount(metric, args.level, day).load(campaign.dbId));
  }
}
