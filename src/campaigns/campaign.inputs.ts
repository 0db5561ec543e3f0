import { ArgsType, Field, ID, InputType, Int, ObjectType } from 'type-graphql';
import { PageArgs } from '../common/pagination';
import { DateScalar } from '../common/scalars';
import { AllocationMode, CampaignStatus, CountingMode } from './campaign-enums';
import { CampaignType } from './campaign.types';

@ArgsType()
export class CampaignsArgs extends PageArgs {
  @Field(() => ID, { nullable: true, description: "Only campaigns concerning this unit: scoped at it, at one of its ancestors, or inside its subtree." })
  unitId?: string | null;
  @Field(() => CampaignStatus, { nullable: true, description: 'Only campaigns in this status.' })
  status?: CampaignStatus | null;
  @Field(() => DateScalar, { nullable: true, description: 'Only campaigns running on this day (ACTIVE or CLOSED, startDate ≤ day ≤ deadline).' })
  activeOn?: string | null;
}

@InputType({ description: 'A metric of a campaign with its modes.' })
export class CampaignMetricInput {
  @Field({ description: 'Metric code from the catalogue, e.g. "eid.activated".' })
  metric!: string;
  @Field(() => CountingMode, { nullable: true, description: 'Default CUMULATIVE.' })
  countingMode?: CountingMode | null;
  @Field(() => AllocationMode, { nullable: true, description: 'Default STRICT.' })
  allocationMode?: AllocationMode | null;
}

@InputType({ description: 'A new campaign (created as DRAFT) over the subtree of its scope unit.' })
export class CreateCampaignInput {
  @Field({ description: 'Name, e.g. "Chiến dịch cao điểm 90 ngày đêm".' })
  name!: string;
  @Field(() => String, { nullable: true, description: 'Free text.' })
  description?: string | null;
  @Field(() => ID, { nullable: true, description: 'The unit whose subtree the campaign covers; omit for a national campaign (SYSTEM_ADMIN only).' })
  scopeUnitId?: string | null;
  @Field(() => DateScalar, { description: 'First day.' })
  startDate!: string;
  @Field(() => DateScalar, { description: 'Last day; on or after startDate.' })
  deadline!: string;
  @Field(() => Int, { nullable: true, description: 'Field teams each hamlet must form (default 5).' })
  minTeamsPerHamlet?: number | null;
  @Field(() => [CampaignMetricInput], { description: 'At least one metric, each once.' })
  metrics!: CampaignMetricInput[];
}

@InputType({ description: 'Changes to a campaign that is not closed; omitted fields stay. The scope unit never changes.' })
export class UpdateCampaignInput {
  @Field(() => ID, { description: 'The campaign.' })
  id!: string;
  @Field(() => String, { nullable: true, description: 'New name.' })
  name?: string | null;
  @Field(() => String, { nullable: true, description: 'New description.' })
  description?: string | null;
  @Field(() => DateScalar, { nullable: true, description: 'New first day.' })
  startDate?: string | null;
  @Field(() => DateScalar, { nullable: true, description: 'New last day.' })
  deadline?: string | null;
  @Field(() => Int, { nullable: true, description: 'New minimum of field teams per hamlet.' })
  minTeamsPerHamlet?: number | null;
  @Field(() => [CampaignMetricInput], {
    nullable: true,
    description: 'The full new metric list (replaces the old one). A metric that already carries quotas cannot be removed.',
  })
  metrics?: CampaignMetricInput[] | null;
}

@InputType({ description: 'Names a campaign for a status change.' })
export class CampaignStatusInput {
  @Field(() => ID, { description: 'The campaign.' })
  id!: string;
}

@ObjectType({ description: 'What a campaign mutation changed.' })
export class CampaignPayload {
  @Field(() => CampaignType, { description: 'The campaign as it now is.' })
  campaign!: CampaignType;
}
