import { ArgsType, Field, ID } from 'type-graphql';
import { PageArgs } from '../common/pagination';
import { UnitLevel } from '../units/unit-level';
import { SortDirection, StandingField } from './campaign-progress.types';

@ArgsType()
export class RankedChildrenArgs extends PageArgs {
  @Field(() => ID, { description: 'The campaign.' })
  campaignId!: string;
  @Field({ description: 'Metric code of the campaign, e.g. "eid.activated".' })
  metric!: string;
  @Field(() => StandingField, { nullable: true, description: 'The figure to order by (default RATE).' })
  by?: StandingField | null;
  @Field(() => SortDirection, { nullable: true, description: 'Default ASC: by RATE, the units furthest behind first.' })
  direction?: SortDirection | null;
}

@ArgsType()
export class CampaignRankingArgs extends PageArgs {
  @Field(() => UnitLevel, { description: 'The level of the units to rank (e.g. PROVINCE, DISTRICT, COMMUNE).' })
  level!: UnitLevel;
  @Field({ description: 'Metric code of the campaign.' })
  metric!: string;
}
