import { Entity, Enum, Index, ManyToOne, PrimaryKey, Property, Unique } from '@mikro-orm/core';
import { UnitLevel } from './unit-level';

/**
 * A node of the administrative tree. `path` is an ltree of ids from the root
 * ("12.345.6789"): every jurisdiction check and subtree query runs on it.
 */
@Entity({ tableName: 'admin_unit' })
@Index({ name: 'admin_unit_path_gist', expression: 'create index "admin_unit_path_gist" on "admin_unit" using gist ("path")' })
@Index({
  name: 'admin_unit_name_trgm',
  expression: 'create index "admin_unit_name_trgm" on "admin_unit" using gin (f_unaccent(lower("name")) gin_trgm_ops)',
})
@Index({ name: 'admin_unit_level_code', properties: ['level', 'code'] })
export class AdminUnit {
  @PrimaryKey({ autoincrement: true })
  id!: number;

  @Unique({ name: 'admin_unit_code_unique' })
  @Property({ length: 40 })
  code!: string;

  @Property({ columnType: 'text' })
  name!: string;

  @Property({ columnType: 'text' })
  kind!: string;

  @Enum({ items: () => UnitLevel, columnType: 'text' })
  level!: UnitLevel;

  @ManyToOne(() => AdminUnit, { nullable: true, deleteRule: 'restrict', index: 'admin_unit_parent_id_index' })
  parent?: AdminUnit;

  @Property({ columnType: 'ltree' })
  path!: string;

  @Property({ columnType: 'integer', nullable: true })
  eligibleCitizens?: number | null;

  @Property({ columnType: 'date', type: 'string' })
  validFrom!: string;

  @Property({ columnType: 'date', type: 'string', nullable: true })
  validTo?: string | null;

  @Property({ columnType: 'timestamptz' })
  createdAt: Date = new Date();

  @Property({ columnType: 'timestamptz', onUpdate: () => new Date() })
  updatedAt: Date = new Date();
}
