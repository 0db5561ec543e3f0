import { Entity, Enum, Index, ManyToOne, PrimaryKey, Property, Unique } from '@mikro-orm/core';
import { AdminUnit } from '../units/unit.entity';

export enum PrincipalKind {
  USER = 'USER',
  SERVICE_ACCOUNT = 'SERVICE_ACCOUNT',
}

export enum PrincipalStatus {
  ACTIVE = 'ACTIVE',
  DISABLED = 'DISABLED',
}

/** A person's account or an integrator's service account. Service accounts have no password. */
@Entity({ tableName: 'principal' })
export class Principal {
  @PrimaryKey({ autoincrement: true })
  id!: number;

  @Enum({ items: () => PrincipalKind, columnType: 'text' })
  kind!: PrincipalKind;

  /** Sign-in name of a user, stored lower-case; null for service accounts. */
  @Unique({ name: 'principal_username_unique' })
  @Property({ columnType: 'text', nullable: true })
  username?: string | null;

  @Property({ columnType: 'text' })
  displayName!: string;

  @Property({ columnType: 'text', nullable: true })
  email?: string | null;

  @Property({ columnType: 'text', nullable: true })
  phone?: string | null;

  @Property({ columnType: 'text', nullable: true })
  description?: string | null;

  /** scrypt hash (see passwords.ts); null for service accounts. */
  @Property({ columnType: 'text', nullable: true, hidden: true, lazy: true })
  passwordHash?: string | null;

  @Enum({ items: () => PrincipalStatus, columnType: 'text' })
  status: PrincipalStatus = PrincipalStatus.ACTIVE;

  /** The unit whose administrators manage this principal (where it was created). */
  @ManyToOne(() => AdminUnit, { nullable: true, index: 'principal_home_unit_id_index' })
  homeUnit?: AdminUnit | null;

  @Property({ columnType: 'timestamptz' })
  createdAt: Date = new Date();

  @Property({ columnType: 'timestamptz', onUpdate: () => new Date() })
  updatedAt: Date = new Date();
}

/** A role at a unit (TEAM_LEADER grants also name a team). SYSTEM_ADMIN grants are national: no unit. */
@Entity({ tableName: 'grant' })
@Index({ name: 'grant_principal_id_index', properties: ['principal'] })
@Index({ name: 'grant_unit_id_index', properties: ['unit'] })
@Unique({
  name: 'grant_principal_role_unit_team_unique',
  expression: 'create unique index "grant_principal_role_unit_team_unique" on "grant" ("principal_id", "role", "unit_id", "team_id") nulls not distinct',
})
export class Grant {
  @PrimaryKey({ autoincrement: true })
  id!: number;

  @ManyToOne(() => Principal, { deleteRule: 'cascade' })
  principal!: Principal;

  @Property({ columnType: 'text' })
  role!: string;

  @ManyToOne(() => AdminUnit, { deleteRule: 'restrict', nullable: true })
  unit?: AdminUnit | null;

  /** For TEAM_LEADER grants: the team led. */
  @ManyToOne(() => 'Team', { nullable: true, deleteRule: 'cascade', fieldName: 'team_id' })
  team?: object | null;

  @ManyToOne(() => Principal, { nullable: true, deleteRule: 'set null' })
  grantedBy?: Principal | null;

  @Property({ columnType: 'timestamptz' })
  createdAt: Date = new Date();
}

/** A signed-in session: access tokens carry its id (`sid`), and refresh tokens rotate within it. */
@Entity({ tableName: 'refresh_session' })
export class RefreshSession {
  @PrimaryKey({ columnType: 'uuid' })
  id!: string;

  @ManyToOne(() => Principal, { deleteRule: 'cascade', index: 'refresh_session_principal_id_index' })
  principal!: Principal;

  /** sha256 of the refresh token currently valid for this session. */
  @Property({ columnType: 'text' })
  tokenHash!: string;

  @Property({ columnType: 'timestamptz' })
  expiresAt!: Date;

  @Property({ columnType: 'timestamptz', nullable: true })
  revokedAt?: Date | null;

  @Property({ columnType: 'timestamptz' })
  createdAt: Date = new Date();

  @Property({ columnType: 'timestamptz', nullable: true })
  lastRotatedAt?: Date | null;
}

/**
 * A refresh token a session has rotated away from (its sha256): presenting one again is reuse of a token that was
 * valid, and ends the session. Any other wrong secret is only refused.
 */
@Entity({ tableName: 'refresh_token_used' })
export class RefreshTokenUsed {
  @PrimaryKey({ columnType: 'text' })
  tokenHash!: string;

  @ManyToOne(() => RefreshSession, { deleteRule: 'cascade', index: 'refresh_token_used_session_id_index' })
  session!: RefreshSession;

  @Property({ columnType: 'timestamptz' })
  usedAt: Date = new Date();
}

/** An integrator's key: `p06_<keyId>_<secret>`; only sha256(secret) is stored. */
@Entity({ tableName: 'api_key' })
export class ApiKey {
  @PrimaryKey({ autoincrement: true })
  id!: number;

  @ManyToOne(() => Principal, { deleteRule: 'cascade', index: 'api_key_principal_id_index' })
  principal!: Principal;

  @Unique({ name: 'api_key_key_id_unique' })
  @Property({ columnType: 'text' })
  keyId!: string;

  @Property({ columnType: 'text' })
  secretHash!: string;

  @Property({ columnType: 'text' })
  name!: string;

  @Property({ columnType: 'timestamptz', nullable: true })
  expiresAt?: Date | null;

  @Property({ columnType: 'timestamptz', nullable: true })
  lastUsedAt?: Date | null;

  @Property({ columnType: 'timestamptz', nullable: true })
  revokedAt?: Date | null;

  @Property({ columnType: 'timestamptz' })
  createdAt: Date = new Date();
}
