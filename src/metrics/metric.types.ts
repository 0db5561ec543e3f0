import { Field, Int, ObjectType } from 'type-graphql';
import { Node } from '../common/node';
import { UnitLevel } from '../units/unit-level';
import { MetricGroup } from './metric-group';

/** Metrics are keyed by code, so their global id wraps the code rather than a number. */
export const metricGlobalId = (code: string): string => Buffer.from(`Metric:${code}`).toString('base64url');

export interface MetricRow {
  code: string;
  nameVi: string;
  nameEn: string;
  description: string;
  group: MetricGroup;
  reportingLevel: UnitLevel;
  pipelineOrder: number | null;
}

@ObjectType('Metric', { implements: Node, description: 'A figure units report, e.g. eid.activated.' })
export class MetricType extends Node {
  readonly __typename = 'Metric';
  @Field({ description: 'Stable code, e.g. "eid.collected", "reason.no_smartphone".' })
  code!: string;
  @Field({ description: 'Vietnamese name.' })
  nameVi!: string;
  @Field({ description: 'English name.' })
  nameEn!: string;
  @Field({ description: 'What is counted, for people (may be empty).' })
  description!: string;
  @Field(() => MetricGroup, { description: 'The family of the metric: pipeline, CCCD, not-yet-activated reasons or other.' })
  group!: MetricGroup;
  @Field(() => UnitLevel, { description: 'The level whose units report this metric; higher levels are rollups.' })
  reportingLevel!: UnitLevel;
  @Field(() => Int, { nullable: true, description: 'Order in the account pipeline (1 collected, 2 approved, 3 activated).' })
  pipelineOrder!: number | null;

  static from(row: MetricRow): MetricType {
    return Object.assign(new MetricType(), { ...row, id: metricGlobalId(row.code) });
  }
}
