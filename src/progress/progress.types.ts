import { Field, ID, Int, ObjectType } from 'type-graphql';
import { Node } from '../common/node';
import { toGlobalId } from '../common/global-id';
import { ConnectionType } from '../common/pagination';
import { CountScalar } from '../common/count';
import { DateScalar } from '../common/scalars';
import { MetricType } from '../metrics/metric.types';

export interface ReportRow {
  id: string;
  unitId: number;
  unitCode: string;
  metric: string;
  asOf: string;
  value: number;
  note: string | null;
  reportedAt: Date | string;
}

@ObjectType('ProgressReport', { implements: Node, description: 'A cumulative figure a reporting unit gave as of a day (the current value of that key).' })
export class ProgressReport extends Node {
  readonly __typename = 'ProgressReport';
  @Field({ description: 'Code of the reporting unit.' })
  unitCode!: string;
  @Field({ description: 'Metric code, e.g. "eid.activated".' })
  metric!: string;
  @Field(() => DateScalar, { description: 'The day the figure stands for ("tính đến ngày").' })
  asOf!: string;
  @Field(() => CountScalar, { description: 'The figure (a cumulative total, or a head count for reason metrics).' })
  value!: number;
  @Field(() => String, { nullable: true, description: 'Free-text note of the reporter.' })
  note!: string | null;
  @Field({ description: 'When this value was last written.' })
  reportedAt!: Date;

  static from(row: ReportRow): ProgressReport {
    return Object.assign(new ProgressReport(), { ...row, id: toGlobalId('ProgressReport', row.id), value: Number(row.value), reportedAt: new Date(row.reportedAt) });
  }
}

export interface HistoryRow {
  id: string;
  unitCode: string;
  metric: string;
  asOf: string;
  oldValue: number | null;
  newValue: number;
  reason: string | null;
  principalId: number | null;
  at: Date | string;
  requestId: string | null;
}

@ObjectType('ProgressHistoryEntry', { implements: Node, description: 'One write of a report: its first value or a correction.' })
export class ProgressHistoryEntry extends Node {
  readonly __typename = 'ProgressHistoryEntry';
  @Field({ description: 'Code of the reporting unit.' })
  unitCode!: string;
  @Field({ description: 'Metric code.' })
  metric!: string;
  @Field(() => DateScalar, { description: 'The day of the report written.' })
  asOf!: string;
  @Field(() => CountScalar, { nullable: true, description: 'The value before this write; null for the first value of that day.' })
  oldValue!: number | null;
  @Field(() => CountScalar, { description: 'The value written.' })
  newValue!: number;
  @Field(() => String, { nullable: true, description: 'Why the value was corrected, when given.' })
  reason!: string | null;
  @Field(() => ID, { nullable: true, description: 'Global id of the principal who wrote it; null for system imports.' })
  principalId!: string | null;
  @Field({ description: 'When it was written.' })
  at!: Date;
  @Field(() => String, { nullable: true, description: 'Request id of the write (matches the audit log).' })
  requestId!: string | null;

  static from(row: HistoryRow): ProgressHistoryEntry {
    return Object.assign(new ProgressHistoryEntry(), {
      ...row,
      id: toGlobalId('ProgressHistoryEntry', row.id),
      oldValue: row.oldValue === null ? null : Number(row.oldValue),
      newValue: Number(row.newValue),
      principalId: row.principalId == null ? null : toGlobalId('Principal', row.principalId),
      at: new Date(row.at),
    });
  }
}

export const ProgressHistoryConnection = ConnectionType(ProgressHistoryEntry, 'ProgressHistory', 'progress history entry');

// simpleResolvers: read by graphql-js's default resolver (plain properties and getters), no per-field wrapper.
@ObjectType('ProgressFigure', { simpleResolvers: true, description: "A unit's rollup of one metric on one day: the sum, over the reporting units beneath it, of their latest report on or before that day." })
export class ProgressFigure {
  @Field({ description: 'Metric code.' })
  metric!: string;
  @Field(() => DateScalar, { description: 'The day the figure stands for.' })
  asOf!: string;
  @Field(() => CountScalar, { description: 'The rollup value.' })
  value!: number;
  /** Counting the reporting units walks the subtree: done only when the field is asked for (set by who builds the figure). */
  countReportingUnits?: () => Promise<number>;
  @Field(() => Int, { description: "How many units at the metric's reporting level lie under this unit (this unit included), active on that day." })
  get reportingUnits(): Promise<number> {
    return this.countReportingUnits?.() ?? Promise.resolve(0);
  }
  @Field(() => Int, { description: 'How many of them had reported this metric on or before that day.' })
  reportedUnits!: number;
  /** ISO text from the database; the Date is built only when the field is asked for. */
  lastReportAtText!: string | null;
  @Field(() => Date, { nullable: true, description: 'When a report counted in this figure was last written; null when none.' })
  get lastReportAt(): Date | null {
    return this.lastReportAtText === null ? null : new Date(this.lastReportAtText);
  }
}

@ObjectType('ProgressPoint', { description: 'The rollup value on one day of a series.' })
export class ProgressPoint {
  @Field(() => DateScalar, { description: 'The day.' })
  date!: string;
  @Field(() => CountScalar, { description: 'The rollup value on that day (the last report carried forward).' })
  value!: number;
}

@ObjectType('ReasonFigure', { description: 'How many people under a unit are not yet activated for one reason.' })
export class ReasonFigure {
  @Field(() => MetricType, { description: 'The reason metric.' })
  metric!: MetricType;
  @Field(() => CountScalar, { description: 'People counted for this reason on that day.' })
  value!: number;
}
