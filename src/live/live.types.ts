import { Field, ObjectType } from 'type-graphql';
import { Unit } from '../units/unit.types';
import { CampaignType } from '../campaigns/campaign.types';

@ObjectType('UnitFiguresChanged', { description: "A unit's figures changed (a report, a correction, an import or a move beneath it). Read the new figures from `unit`." })
export class UnitFiguresChanged {
  @Field(() => Unit, { description: 'The unit, as you may see it now: select the figures to refresh (progress, campaignProgress…).' })
  unit!: Unit;
  @Field(() => [String], { description: 'Codes of the metrics that changed since the previous event.' })
  metrics!: string[];
  @Field({ description: 'When the change was seen (events are coalesced to at most one per unit per second).' })
  changedAt!: Date;
}

@ObjectType('CampaignStandingsChanged', { description: "Figures of units ranked in a campaign changed: re-read the campaign's rankings or the units' campaignProgress." })
export class CampaignStandingsChanged {
  @Field(() => CampaignType, { description: 'The campaign.' })
  campaign!: CampaignType;
  @Field(() => [String], { description: "Codes of the campaign's metrics that changed." })
  metrics!: string[];
  @Field(() => [Unit], { description: 'The units (in your jurisdiction and the campaign scope) whose figures changed, reporting units and their ancestors.' })
  units!: Unit[];
  @Field({ description: 'When the change was seen (at most one event per campaign per second).' })
  changedAt!: Date;
}
