import { Migration } from '@mikro-orm/migrations';

/** Login throttling state (shared by every API instance) and national SYSTEM_ADMIN grants without a unit. */
export class Migration20261123000400LoginSecurity extends Migration {
  override async up(): Promise<void> {
    this.addSql(`create table "login_attempt" (
      "key" text not null, "failures" int not null, "window_started_at" timestamptz not null, "locked_until" timestamptz null,
      constraint "login_attempt_pkey" primary key ("key"));`);
    this.addSql('alter table "grant" alter column "unit_id" drop not null;');
  }
}
