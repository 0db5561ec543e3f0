import { ArgsType, Field, ID } from 'type-graphql';
import { PageArgs } from '../common/pagination';
import { DateScalar } from '../common/scalars';
import { UnitLevel } from '../units/unit-level';
import { SortDirection, StandingField } from './campaign-progress.types';

export const AS_OF =
  'Figures as of this day (default: the day the unit was read for, else today), capped by the deadline and by the last day of a retired scope unit; ' +
  'units are those of the tree in force on that end day.';

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
  @Field(() => DateScalar, { nullable: true, description: AS_OF })
  asOf?: string | null;
}

@ArgsType()
export class CampaignRankingArgs extends PageArgs {
  @Field(() => UnitLevel, { description: 'The level of the units to rank (e.g. PROVINCE, DISTRICT, COMMUNE).' })
  level!: UnitLevel;
  @Field({ description: 'Metric code of the campaign.' })
  metric!: string;
  @Field(() => DateScalar, { nullable: true, description: AS_OF })
  asOf?: string | null;
}
