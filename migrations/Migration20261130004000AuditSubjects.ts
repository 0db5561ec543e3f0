import { Migration } from '@mikro-orm/migrations';

/**
 * Jurisdiction without leaks (issue 15):
 * - audit_entry.subject_principal_id: the principal an entry is about (auth.*, principal.*, grant.*, api_key.*),
 *   so the log shows it only to those who may read that principal; backfilled from the existing entries;
 * - session ids are no longer written to the log, and are removed from what it holds;
 * - a partial index finds the entries still holding a client address, which the retention job strips after
 *   AUDIT_IP_RETENTION_DAYS;
 * - refresh_token_used: hashes of the refresh tokens a session has rotated away from, so reuse detection fires
 *   only for a token that was valid before (a wrong secret revokes nothing);
 * - login_attempt: `user:` keys no longer lock (sign-in locks per username and address); old locks are dropped.
 */
export class Migration20261130004000AuditSubjects extends Migration {
  override async up(): Promise<void> {
    this.addSql('alter table "audit_entry" add column "subject_principal_id" integer null;');
    this.addSql(`update "audit_entry" set "subject_principal_id" = case
        when "object_type" = 'Principal' and "object_id" ~ '^[0-9]+$' then "object_id"::int
        when "object_type" in ('Grant', 'ApiKey') then coalesce(("after"->>'principalId')::int, ("before"->>'principalId')::int) end;`);
    this.addSql('create index "audit_entry_subject_principal_id_index" on "audit_entry" ("subject_principal_id");');
    this.addSql(`update "audit_entry" set "after" = "after" - 'sessionId' where "after" ? 'sessionId';`);
    this.addSql(`update "audit_entry" set "before" = "before" - 'sessionId' where "before" ? 'sessionId';`);
    this.addSql(`create index "audit_entry_ip_at_index" on "audit_entry" ("at") where ("after" ? 'ip');`);

    this.addSql(`create table "refresh_token_used" (
      "token_hash" text not null, "session_id" uuid not null, "used_at" timestamptz not null,
      constraint "refresh_token_used_pkey" primary key ("token_hash"));`);
    this.addSql('create index "refresh_token_used_session_id_index" on "refresh_token_used" ("session_id");');
    this.addSql('alter table "refresh_token_used" add constraint "refresh_token_used_session_id_foreign" foreign key ("session_id") references "refresh_session" ("id") on update cascade on delete cascade;');

    this.addSql(`delete from "login_attempt" where "key" like 'user:%';`);
  }
}
