import { BigIntType, Entity, Enum, PrimaryKey, Property } from '@mikro-orm/core';
import { MetricGroup } from './metric-group';
import { UnitLevel } from '../units/unit-level';

/** What units report: the catalogue. Codes are stable once used (reports and quotas refer to them). */
@Entity({ tableName: 'metric' })
export class Metric {
  @PrimaryKey({ columnType: 'text' })
  code!: string;

  @Property({ columnType: 'text' })
  nameVi!: string;

  @Property({ columnType: 'text' })
  nameEn!: string;

  @Property({ columnType: 'text', default: '' })
  description: string = '';

  @Enum({ items: () => MetricGroup, columnType: 'text' })
  group!: MetricGroup;

  /** The level whose units report it (rollups sum them upwards). */
  @Enum({ items: () => UnitLevel, columnType: 'text', default: 'HAMLET' })
  reportingLevel: UnitLevel = UnitLevel.HAMLET;

  /** Position in the account pipeline (collected 1 ≥ approved 2 ≥ activated 3); null outside it. */
  @Property({ columnType: 'integer', nullable: true })
  pipelineOrder?: number | null;

  @Property({ columnType: 'timestamptz', defaultRaw: 'now()' })
  createdAt: Date = new Date();
}

/** One row: its version moves with every change to `metric` (a trigger), so cached catalogues can tell they are stale. */
@Entity({ tableName: 'metric_catalogue' })
export class MetricCatalogueVersion {
  @PrimaryKey({ columnType: 'boolean', default: true })
  id: boolean = true;

  @Property({ type: new BigIntType('number'), columnType: 'bigint' })
  version!: number;
}
