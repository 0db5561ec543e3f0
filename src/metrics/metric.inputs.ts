import { Field, InputType, Int, ObjectType } from 'type-graphql';
import { UnitLevel } from '../units/unit-level';
import { MetricGroup } from './metric-group';
import { MetricType } from './metric.types';

@InputType({ description: 'A new metric in the catalogue (SYSTEM_ADMIN only). Its code is permanent.' })
export class CreateMetricInput {
  @Field({ description: 'Stable code `group.snake_case`, e.g. "reason.no_id_card"; unique and never renamed.' })
  code!: string;
  @Field({ description: 'Vietnamese name.' })
  nameVi!: string;
  @Field({ description: 'English name.' })
  nameEn!: string;
  @Field(() => String, { nullable: true, description: 'What is counted, for the people who report it.' })
  description?: string | null;
  @Field(() => MetricGroup, { description: 'Family of the metric.' })
  group!: MetricGroup;
  @Field(() => UnitLevel, { nullable: true, description: 'Level whose units report it (default HAMLET).' })
  reportingLevel?: UnitLevel | null;
  @Field(() => Int, { nullable: true, description: 'Position in the account pipeline, if it belongs to it.' })
  pipelineOrder?: number | null;
}

@InputType({ description: 'Changes to the human-readable texts of a metric; the code and its meaning stay.' })
export class UpdateMetricInput {
  @Field({ description: 'Code of the metric to change.' })
  code!: string;
  @Field(() => String, { nullable: true, description: 'New Vietnamese name.' })
  nameVi?: string | null;
  @Field(() => String, { nullable: true, description: 'New English name.' })
  nameEn?: string | null;
  @Field(() => String, { nullable: true, description: 'New description.' })
  description?: string | null;
}

@ObjectType({ description: 'What a metric mutation changed.' })
export class MetricPayload {
  @Field(() => MetricType, { description: 'The metric as it now is.' })
  metric!: MetricType;
}
