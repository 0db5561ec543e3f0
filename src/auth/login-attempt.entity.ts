import { Entity, PrimaryKey, Property } from '@mikro-orm/core';

/**
 * Failed sign-ins per key (`user:<username>` or `ip:<address>`) within a 15-minute window, kept in
 * PostgreSQL so every API instance sees the same counts.
 */
@Entity({ tableName: 'login_attempt' })
export class LoginAttempt {
  @PrimaryKey({ columnType: 'text' })
  key!: string;

  @Property({ columnType: 'int' })
  failures!: number;

  @Property({ columnType: 'timestamptz' })
  windowStartedAt!: Date;

  @Property({ columnType: 'timestamptz', nullable: true })
  lockedUntil?: Date | null;
}
