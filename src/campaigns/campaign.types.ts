import { Field, Int, ObjectType } from 'type-graphql';
import { Node } from '../common/node';
import { toGlobalId } from '../common/global-id';
import { ConnectionType } from '../common/pagination';
import { DateScalar } from '../common/scalars';
import { MetricType } from '../metrics/metric.types';
import { AllocationMode, CampaignStatus, CountingMode } from './campaign-enums';
import type { CampaignMetricRow, CampaignRow } from './campaign.repo';

@ObjectType('CampaignMetric', { description: 'A metric a campaign tracks, with its counting and allocation modes.' })
export class CampaignMetricType {
  @Field(() => MetricType, { description: 'The metric of the catalogue.' })
  metric!: MetricType;
  @Field(() => CountingMode, { description: 'How progress is counted against quotas.' })
  countingMode!: CountingMode;
  @Field(() => AllocationMode, { description: 'Whether children may be given more than their parent holds.' })
  allocationMode!: AllocationMode;

  static from(row: CampaignMetricRow): CampaignMetricType {
    const { campaignId: _c, countingMode, allocationMode, ...metric } = row;
    return Object.assign(new CampaignMetricType(), { metric: MetricType.from(metric), countingMode, allocationMode });
  }
}

@ObjectType('Campaign', {
  implements: Node,
  description:
    'A time-boxed drive (e.g. "90 days and nights") over the subtree of its scope unit, with its metrics and quotas. ' +
    'Visible to principals inside its scope and to those above it.',
})
export class CampaignType extends Node {
  readonly __typename = 'Campaign';
  /** Database ids and scope path, for resolvers; not part of the schema. */
  dbId!: number;
  scopeUnitId!: number | null;
  scopePath!: string;

  @Field({ description: 'Name, e.g. "Chiến dịch cao điểm 90 ngày đêm".' })
  name!: string;
  @Field({ description: 'Free text: goals, instructions.' })
  description!: string;
  @Field(() => DateScalar, { description: 'First day of the campaign.' })
  startDate!: string;
  @Field(() => DateScalar, { description: 'Last day of the campaign (on or after startDate).' })
  deadline!: string;
  @Field(() => CampaignStatus, { description: 'DRAFT, ACTIVE or CLOSED (read-only).' })
  status!: CampaignStatus;
  @Field(() => Int, { description: 'Field teams each hamlet must form (default 5).' })
  minTeamsPerHamlet!: number;
  @Field({ description: 'When the campaign was created.' })
  createdAt!: Date;
  @Field({ description: 'When the campaign was last changed.' })
  updatedAt!: Date;

  static from(row: CampaignRow): CampaignType {
    return Object.assign(new CampaignType(), {
      id: toGlobalId('Campaign', row.id),
      dbId: row.id,
      scopeUnitId: row.scopeUnitId,
      scopePath: row.scopePath,
      name: row.name,
      description: row.description,
      startDate: row.startDate,
      deadline: row.deadline,
      status: row.status,
      minTeamsPerHamlet: row.minTeamsPerHamlet,
      createdAt: new Date(row.createdAt),
      updatedAt: new Date(row.updatedAt),
    });
  }
}

export const CampaignConnection = ConnectionType(CampaignType, 'Campaign', 'campaign');
