import { Entity, Index, ManyToOne, PrimaryKey, Property, Unique } from '@mikro-orm/core';
import { AdminUnit } from '../units/unit.entity';
import { Principal } from '../auth/principal.entity';
import { Metric } from '../metrics/metric.entity';
import { Campaign } from '../campaigns/campaign.entity';

/** The target a unit holds for one metric of one campaign, set by the level above. */
@Entity({ tableName: 'quota' })
@Unique({ name: 'quota_campaign_unit_metric_unique', properties: ['campaign', 'unit', 'metric'] })
@Index({ name: 'quota_unit_id_index', properties: ['unit'] })
export class Quota {
  @PrimaryKey({ autoincrement: true })
  id!: number;

  @ManyToOne(() => Campaign, { deleteRule: 'cascade' })
  campaign!: Campaign;

  @ManyToOne(() => AdminUnit, { deleteRule: 'restrict' })
  unit!: AdminUnit;

  @ManyToOne(() => Metric, { deleteRule: 'restrict' })
  metric!: Metric;

  @Property({ columnType: 'integer' })
  target!: number;

  @ManyToOne(() => Principal, { nullable: true, deleteRule: 'set null' })
  assignedBy?: Principal | null;

  @Property({ columnType: 'timestamptz' })
  assignedAt: Date = new Date();
}

/** Every change of a quota: old and new target, who, when, and the request that did it. */
@Entity({ tableName: 'quota_history' })
@Index({ name: 'quota_history_lookup_index', properties: ['campaign', 'unit', 'metric', 'changedAt'] })
export class QuotaHistory {
  @PrimaryKey({ columnType: 'bigserial', type: 'string' })
  id!: string;

  @ManyToOne(() => Campaign, { deleteRule: 'cascade' })
  campaign!: Campaign;

  @ManyToOne(() => AdminUnit, { deleteRule: 'restrict' })
  unit!: AdminUnit;

  @ManyToOne(() => Metric, { deleteRule: 'restrict' })
  metric!: Metric;

  /** Null when the quota was first set. */
  @Property({ columnType: 'integer', nullable: true })
  oldTarget?: number | null;

  @Property({ columnType: 'integer' })
  newTarget!: number;

  @ManyToOne(() => Principal, { nullable: true, deleteRule: 'set null' })
  changedBy?: Principal | null;

  @Property({ columnType: 'timestamptz' })
  changedAt: Date = new Date();

  @Property({ columnType: 'text', nullable: true })
  requestId?: string | null;
}
