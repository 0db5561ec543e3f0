import { Migration } from '@mikro-orm/migrations';

export class Migration20261123000000Units extends Migration {
  override async up(): Promise<void> {
    this.addSql('create extension if not exists ltree;');
    this.addSql('create extension if not exists unaccent;');
    this.addSql('create extension if not exists pg_trgm;');
    // unaccent() is only STABLE; an IMMUTABLE wrapper with the dictionary named lets it back an index.
    this.addSql(
      `create or replace function f_unaccent(text) returns text language sql immutable parallel safe strict as $$ select public.unaccent('public.unaccent'::regdictionary, $1) $$;`,
    );
    this.addSql(`create table "admin_unit" (
      "id" serial primary key,
      "code" varchar(40) not null,
      "name" text not null,
      "kind" text not null,
      "level" text check ("level" in ('PROVINCE', 'DISTRICT', 'COMMUNE', 'HAMLET')) not null,
      "parent_id" int null,
      "path" ltree not null,
      "eligible_citizens" integer null,
      "valid_from" date not null,
      "valid_to" date null,
      "created_at" timestamptz not null,
      "updated_at" timestamptz not null);`);
    this.addSql('alter table "admin_unit" add constraint "admin_unit_code_unique" unique ("code");');
    this.addSql('create index "admin_unit_parent_id_index" on "admin_unit" ("parent_id");');
    this.addSql('create index "admin_unit_level_code" on "admin_unit" ("level", "code");');
    this.addSql('create index "admin_unit_path_gist" on "admin_unit" using gist ("path");');
    this.addSql('create index "admin_unit_name_trgm" on "admin_unit" using gin (f_unaccent(lower("name")) gin_trgm_ops);');
    this.addSql(
      'alter table "admin_unit" add constraint "admin_unit_parent_id_foreign" foreign key ("parent_id") references "admin_unit" ("id") on update cascade on delete restrict;',
    );
  }
}
