import { Ctx, FieldResolver, Resolver, Root } from 'type-graphql';
import type { Context } from '../context';
import { loaders } from '../context';
import { createUnitLoaders } from '../units/unit.loaders';
import { UnitRef } from '../units/unit.types';
import { createCampaignLoaders } from './campaign.loaders';
import { CampaignMetricType, CampaignType } from './campaign.types';

@Resolver(() => CampaignType)
export class CampaignFieldsResolver {
  @FieldResolver(() => UnitRef, { nullable: true, description: 'The unit whose subtree the campaign covers (identity only); null for a national campaign.' })
  async scopeUnit(@Ctx() ctx: Context, @Root() campaign: CampaignType): Promise<UnitRef | null> {
    if (campaign.scopeUnitId === null) return null;
    const row = await loaders(ctx, createUnitLoaders).identity.load(campaign.scopeUnitId);
    return row && UnitRef.from(row);
  }

  @FieldResolver(() => [CampaignMetricType], { description: 'The metrics the campaign tracks, in catalogue order.' })
  async metrics(@Ctx() ctx: Context, @Root() campaign: CampaignType): Promise<CampaignMetricType[]> {
    const rows = await loaders(ctx, createCampaignLoaders).metrics.load(campaign.dbId);
    return rows.map(CampaignMetricType.from);
  }
}
