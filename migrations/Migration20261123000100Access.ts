import { Migration } from '@mikro-orm/migrations';

export class Migration20261123000100Access extends Migration {
  override async up(): Promise<void> {
    this.addSql(`create table "principal" (
      "id" serial primary key, "kind" text check ("kind" in ('USER', 'SERVICE_ACCOUNT')) not null,
      "username" text null, "display_name" text not null, "email" text null, "phone" text null, "description" text null,
      "password_hash" text null, "status" text check ("status" in ('ACTIVE', 'DISABLED')) not null default 'ACTIVE',
      "home_unit_id" int null, "created_at" timestamptz not null, "updated_at" timestamptz not null);`);
    this.addSql('alter table "principal" add constraint "principal_username_unique" unique ("username");');
    this.addSql('create index "principal_home_unit_id_index" on "principal" ("home_unit_id");');
    this.addSql('alter table "principal" add constraint "principal_home_unit_id_foreign" foreign key ("home_unit_id") references "admin_unit" ("id") on update cascade on delete set null;');

    this.addSql(`create table "grant" (
      "id" serial primary key, "principal_id" int not null, "role" text not null, "unit_id" int not null,
      "team_id" integer null, "granted_by_id" int null, "created_at" timestamptz not null);`);
    this.addSql('create index "grant_principal_id_index" on "grant" ("principal_id");');
    this.addSql('create index "grant_unit_id_index" on "grant" ("unit_id");');
    this.addSql('alter table "grant" add constraint "grant_principal_id_foreign" foreign key ("principal_id") references "principal" ("id") on update cascade on delete cascade;');
    this.addSql('alter table "grant" add constraint "grant_unit_id_foreign" foreign key ("unit_id") references "admin_unit" ("id") on update cascade on delete restrict;');
    this.addSql('alter table "grant" add constraint "grant_granted_by_id_foreign" foreign key ("granted_by_id") references "principal" ("id") on update cascade on delete set null;');

    this.addSql(`create table "refresh_session" (
      "id" uuid not null, "principal_id" int not null, "token_hash" text not null, "expires_at" timestamptz not null,
      "revoked_at" timestamptz null, "created_at" timestamptz not null, "last_rotated_at" timestamptz null,
      constraint "refresh_session_pkey" primary key ("id"));`);
    this.addSql('create index "refresh_session_principal_id_index" on "refresh_session" ("principal_id");');
    this.addSql('alter table "refresh_session" add constraint "refresh_session_principal_id_foreign" foreign key ("principal_id") references "principal" ("id") on update cascade on delete cascade;');

    this.addSql(`create table "api_key" (
      "id" serial primary key, "principal_id" int not null, "key_id" text not null, "secret_hash" text not null, "name" text not null,
      "expires_at" timestamptz null, "last_used_at" timestamptz null, "revoked_at" timestamptz null, "created_at" timestamptz not null);`);
    this.addSql('create index "api_key_principal_id_index" on "api_key" ("principal_id");');
    this.addSql('alter table "api_key" add constraint "api_key_key_id_unique" unique ("key_id");');
    this.addSql('alter table "api_key" add constraint "api_key_principal_id_foreign" foreign key ("principal_id") references "principal" ("id") on update cascade on delete cascade;');

    this.addSql(`create table "audit_entry" (
      "id" bigserial primary key, "at" timestamptz not null default now(), "principal_id" integer null, "action" text not null,
      "object_type" text not null, "object_id" text null, "unit_path" ltree null, "before" jsonb null, "after" jsonb null, "request_id" text null);`);
    this.addSql('create index "audit_entry_unit_path_gist" on "audit_entry" using gist ("unit_path");');
    this.addSql('create index "audit_entry_at_index" on "audit_entry" ("at");');
    this.addSql('create index "audit_entry_principal_id_index" on "audit_entry" ("principal_id");');
  }
}
