import { Entity, Index, PrimaryKey, Property } from '@mikro-orm/core';

/** One row per successful mutation, written in the same transaction as the change. */
@Entity({ tableName: 'audit_entry' })
@Index({ name: 'audit_entry_unit_path_gist', expression: 'create index "audit_entry_unit_path_gist" on "audit_entry" using gist ("unit_path")' })
@Index({ name: 'audit_entry_at_index', properties: ['at'] })
@Index({ name: 'audit_entry_principal_id_index', properties: ['principalId'] })
@Index({ name: 'audit_entry_subject_principal_id_index', properties: ['subjectPrincipalId'] })
// The entries still holding a client address, for the retention job (audit/retention.repo.ts).
@Index({ name: 'audit_entry_ip_at_index', expression: `create index "audit_entry_ip_at_index" on "audit_entry" ("at") where ("after" ? 'ip')` })
export class AuditEntry {
  @PrimaryKey({ columnType: 'bigserial', type: 'string' })
  id!: string;

  @Property({ columnType: 'timestamptz', defaultRaw: 'now()' })
  at: Date = new Date();

  /** Who: null only for system jobs (CLI imports, seeding). */
  @Property({ columnType: 'integer', nullable: true })
  principalId?: number | null;

  @Property({ columnType: 'text' })
  action!: string;

  /** The principal the entry is about (sign-ins, accounts, grants, keys): only readers of that principal see it. */
  @Property({ columnType: 'integer', nullable: true })
  subjectPrincipalId?: number | null;

  @Property({ columnType: 'text' })
  objectType!: string;

  @Property({ columnType: 'text', nullable: true })
  objectId?: string | null;

  /** Path of the unit the change concerns: the audit log is scoped by it. */
  @Property({ columnType: 'ltree', nullable: true })
  unitPath?: string | null;

  @Property({ columnType: 'jsonb', nullable: true })
  before?: unknown;

  @Property({ columnType: 'jsonb', nullable: true })
  after?: unknown;

  @Property({ columnType: 'text', nullable: true })
  requestId?: string | null;
}
