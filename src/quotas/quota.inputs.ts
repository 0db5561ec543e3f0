import { ArgsType, Field, ID, InputType, Int, ObjectType } from 'type-graphql';
import { PageArgs } from '../common/pagination';
import { CampaignType } from '../campaigns/campaign.types';
import { QuotaType } from './quota.types';

@ArgsType()
export class UnitQuotaArgs {
  @Field(() => ID, { description: 'The campaign.' })
  campaignId!: string;
  @Field({ description: 'Metric code of the campaign, e.g. "eid.activated".' })
  metric!: string;
}

@ArgsType()
export class QuotaHistoryArgs extends PageArgs {
  @Field(() => ID, { description: 'The campaign.' })
  campaignId!: string;
  @Field({ description: 'Metric code of the campaign.' })
  metric!: string;
}

@InputType({ description: 'One child unit and its new target.' })
export class QuotaAllocationInput {
  @Field(() => ID, { description: 'A direct child of parentUnitId (a province when parentUnitId is omitted).' })
  unitId!: string;
  @Field(() => Int, { description: 'New target, a non-negative integer.' })
  target!: number;
}

@InputType({ description: "Set the targets of many direct children of one unit for one campaign metric, all or nothing." })
export class AssignQuotasInput {
  @Field(() => ID, { description: 'The campaign (not closed).' })
  campaignId!: string;
  @Field({ description: 'A metric of the campaign.' })
  metric!: string;
  @Field(() => ID, { nullable: true, description: 'The unit whose direct children get targets; omit for provinces (SYSTEM_ADMIN only).' })
  parentUnitId?: string | null;
  @Field(() => [QuotaAllocationInput], { description: 'Targets by child unit (at least one, each unit once).' })
  allocations!: QuotaAllocationInput[];
}

@ObjectType({ description: 'What assignQuotas changed.' })
export class AssignQuotasPayload {
  @Field(() => CampaignType, { description: 'The campaign.' })
  campaign!: CampaignType;
  @Field(() => QuotaType, { nullable: true, description: "The parent's own quota after the change (shows allocatedToChildren, overAllocated); null without one." })
  parentQuota!: QuotaType | null;
  @Field(() => [QuotaType], { description: 'The quotas of the units named, in input order.' })
  quotas!: QuotaType[];
  @Field(() => Int, { description: 'How many targets actually changed (unchanged ones are not rewritten nor logged).' })
  changed!: number;
}
