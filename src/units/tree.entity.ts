import { BigIntType, Check, Entity, Enum, Index, ManyToOne, PrimaryKey, Property } from '@mikro-orm/core';
import { AdminUnit } from './unit.entity';

/**
 * One interval of a unit's place in the tree: its parent and full ancestry (ltree of ids) from `validFrom`
 * until `validTo` (exclusive; null = still in force). Reports roll up through these intervals, so figures
 * of any day read the tree of that day (docs/RESTRUCTURING.md).
 */
@Entity({ tableName: 'unit_membership' })
@Index({ name: 'unit_membership_unit', properties: ['unit', 'validFrom'] })
@Index({ name: 'unit_membership_parent', properties: ['parentId', 'validFrom'] })
@Index({ name: 'unit_membership_path_gist', expression: 'create index "unit_membership_path_gist" on "unit_membership" using gist ("path")' })
@Check({ name: 'unit_membership_interval', expression: 'valid_to is null or valid_to > valid_from' })
export class UnitMembership {
  @PrimaryKey({ type: new BigIntType('string'), columnType: 'bigserial' })
  id!: string;

  @ManyToOne(() => AdminUnit, { deleteRule: 'cascade', updateRule: 'cascade', index: false })
  unit!: AdminUnit;

  @Property({ columnType: 'int', nullable: true })
  parentId?: number | null;

  @Property({ columnType: 'ltree' })
  path!: string;

  @Property({ columnType: 'date', type: 'string' })
  validFrom!: string;

  @Property({ columnType: 'date', type: 'string', nullable: true })
  validTo?: string | null;
}

/** A former name of a unit, in force from `validFrom` until `validTo` (exclusive); the current one is on admin_unit. */
@Entity({ tableName: 'unit_name_history' })
@Index({ name: 'unit_name_history_unit', properties: ['unit', 'validTo'] })
export class UnitNameHistory {
  @PrimaryKey({ type: new BigIntType('string'), columnType: 'bigserial' })
  id!: string;

  @ManyToOne(() => AdminUnit, { deleteRule: 'cascade', updateRule: 'cascade', index: false })
  unit!: AdminUnit;

  @Property({ columnType: 'text' })
  name!: string;

  @Property({ columnType: 'text' })
  kind!: string;

  @Property({ columnType: 'date', type: 'string' })
  validFrom!: string;

  @Property({ columnType: 'date', type: 'string' })
  validTo!: string;
}

export enum LineageKind {
  MERGED = 'MERGED',
  SPLIT = 'SPLIT',
  ABOLISHED = 'ABOLISHED',
}

/** A predecessor → successor link created by a restructuring. */
@Entity({ tableName: 'unit_lineage' })
export class UnitLineage {
  @PrimaryKey({ type: new BigIntType('string'), columnType: 'bigserial' })
  id!: string;

  @ManyToOne(() => AdminUnit, { deleteRule: 'restrict', updateRule: 'cascade', index: 'unit_lineage_predecessor' })
  predecessor!: AdminUnit;

  @ManyToOne(() => AdminUnit, { deleteRule: 'restrict', updateRule: 'cascade', index: 'unit_lineage_successor' })
  successor!: AdminUnit;

  @Property({ columnType: 'date', type: 'string' })
  effectiveDate!: string;

  @Enum({ items: () => LineageKind, columnType: 'text' })
  kind!: LineageKind;

  /** True when the predecessor's figures (or its stated share) continue in this successor. */
  @Property({ columnType: 'boolean', default: false })
  carriesFigures: boolean = false;

  @Property({ columnType: 'numeric', nullable: true })
  share?: string | null;

  @Property({ columnType: 'timestamptz', defaultRaw: 'now()' })
  createdAt: Date = new Date();
}
