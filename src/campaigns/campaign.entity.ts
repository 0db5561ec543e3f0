import { Entity, Enum, Index, ManyToOne, PrimaryKey, Property } from '@mikro-orm/core';
import { AdminUnit } from '../units/unit.entity';
import { Principal } from '../auth/principal.entity';
import { Metric } from '../metrics/metric.entity';
import { AllocationMode, CampaignStatus, CountingMode } from './campaign-enums';

/** A time-boxed drive over the subtree of its scope unit (visibility follows the scope unit's path). */
@Entity({ tableName: 'campaign' })
@Index({ name: 'campaign_scope_unit_id_index', properties: ['scopeUnit'] })
@Index({ name: 'campaign_status_dates_index', properties: ['status', 'startDate', 'deadline'] })
export class Campaign {
  @PrimaryKey({ autoincrement: true })
  id!: number;

  @Property({ columnType: 'text' })
  name!: string;

  @Property({ columnType: 'text', default: '' })
  description: string = '';

  /** The unit whose subtree the campaign covers; null for a national campaign (SYSTEM_ADMIN only). */
  @ManyToOne(() => AdminUnit, { deleteRule: 'restrict', nullable: true })
  scopeUnit?: AdminUnit | null;

  @Property({ columnType: 'date', type: 'string' })
  startDate!: string;

  @Property({ columnType: 'date', type: 'string' })
  deadline!: string;

  @Enum({ items: () => CampaignStatus, columnType: 'text', default: 'DRAFT' })
  status: CampaignStatus = CampaignStatus.DRAFT;

  /** Field teams each hamlet must form (Núi Thành: at least 5). */
  @Property({ columnType: 'integer', default: 5 })
  minTeamsPerHamlet: number = 5;

  @ManyToOne(() => Principal, { nullable: true, deleteRule: 'set null' })
  createdBy?: Principal | null;

  @Property({ columnType: 'timestamptz' })
  createdAt: Date = new Date();

  @Property({ columnType: 'timestamptz' })
  updatedAt: Date = new Date();
}

/** A metric a campaign tracks, with how it is counted and how its quotas may be split. */
@Entity({ tableName: 'campaign_metric' })
export class CampaignMetric {
  @ManyToOne(() => Campaign, { primary: true, deleteRule: 'cascade' })
  campaign!: Campaign;

  @ManyToOne(() => Metric, { primary: true, deleteRule: 'restrict' })
  metric!: Metric;

  @Enum({ items: () => CountingMode, columnType: 'text' })
  countingMode!: CountingMode;

  @Enum({ items: () => AllocationMode, columnType: 'text' })
  allocationMode!: AllocationMode;
}
