import { BigIntType, Entity, Index, ManyToOne, PrimaryKey, Property, Unique } from '@mikro-orm/core';
import { AdminUnit } from '../units/unit.entity';
import { Metric } from '../metrics/metric.entity';
import { Principal } from '../auth/principal.entity';

/**
 * A cumulative figure a reporting unit gives as of a day. One row per (unit, metric, day):
 * reporting the same key again is idempotent, a different value is a correction (see ProgressHistory).
 */
@Entity({ tableName: 'progress_report' })
@Unique({ name: 'progress_report_unit_metric_as_of_unique', properties: ['unit', 'metric', 'asOf'] })
export class ProgressReport {
  @PrimaryKey({ type: new BigIntType('string'), columnType: 'bigserial' })
  id!: string;

  @ManyToOne(() => AdminUnit, { deleteRule: 'restrict' })
  unit!: AdminUnit;

  @ManyToOne(() => Metric, { fieldName: 'metric', deleteRule: 'restrict', updateRule: 'cascade', columnType: 'text' })
  metric!: Metric;

  @Property({ columnType: 'date', type: 'string' })
  asOf!: string;

  @Property({ type: new BigIntType('number'), columnType: 'bigint' })
  value!: number;

  @Property({ columnType: 'text', nullable: true })
  note?: string | null;

  @ManyToOne(() => Principal, { nullable: true, deleteRule: 'set null', index: 'progress_report_reported_by_id_index' })
  reportedBy?: Principal | null;

  @Property({ columnType: 'timestamptz', defaultRaw: 'now()' })
  reportedAt: Date = new Date();
}

/** Every write of a report (first value and each correction), never updated. */
@Entity({ tableName: 'progress_history' })
@Index({ name: 'progress_history_unit_metric_id', properties: ['unitId', 'metric', 'id'] })
export class ProgressHistory {
  @PrimaryKey({ type: new BigIntType('string'), columnType: 'bigserial' })
  id!: string;

  @Property({ type: new BigIntType('string'), columnType: 'bigint' })
  reportId!: string;

  @Property({ columnType: 'integer' })
  unitId!: number;

  @Property({ columnType: 'text' })
  metric!: string;

  @Property({ columnType: 'date', type: 'string' })
  asOf!: string;

  /** Null for the first value of the key. */
  @Property({ type: new BigIntType('number'), columnType: 'bigint', nullable: true })
  oldValue?: number | null;

  @Property({ type: new BigIntType('number'), columnType: 'bigint' })
  newValue!: number;

  @Property({ columnType: 'text', nullable: true })
  reason?: string | null;

  @Property({ columnType: 'integer', nullable: true })
  principalId?: number | null;

  @Property({ columnType: 'timestamptz', defaultRaw: 'now()' })
  at: Date = new Date();

  @Property({ columnType: 'text', nullable: true })
  requestId?: string | null;
}

/**
 * For every unit U (reporting unit and each ancestor), metric and day: the sum of the changes the reports
 * of the series under U make that day, and how many series have their first report that day.
 * U's figure on day D is SUM(change) over its rows dated <= D (derived data; no foreign keys).
 */
@Entity({ tableName: 'rollup_change' })
export class RollupChange {
  @PrimaryKey({ columnType: 'integer', autoincrement: false })
  unitId!: number;

  @PrimaryKey({ columnType: 'text' })
  metric!: string;

  @PrimaryKey({ columnType: 'date', type: 'string' })
  date!: string;

  @Property({ type: new BigIntType('number'), columnType: 'bigint', default: 0 })
  change: number = 0;

  @Property({ columnType: 'integer', default: 0 })
  reporters: number = 0;

  @Property({ columnType: 'timestamptz', nullable: true })
  lastReportAt?: Date | null;
}

/** The current figure of every unit and metric: one row read, no scan of descendants. */
@Entity({ tableName: 'rollup_total' })
export class RollupTotal {
  @PrimaryKey({ columnType: 'integer', autoincrement: false })
  unitId!: number;

  @PrimaryKey({ columnType: 'text' })
  metric!: string;

  @Property({ type: new BigIntType('number'), columnType: 'bigint', default: 0 })
  value: number = 0;

  @Property({ columnType: 'integer', default: 0 })
  reporters: number = 0;

  @Property({ columnType: 'timestamptz', nullable: true })
  lastReportAt?: Date | null;
}
