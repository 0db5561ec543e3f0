import { Migration } from '@mikro-orm/migrations';

/**
 * The dated tree (docs/RESTRUCTURING.md). `admin_unit.parent_id/path` stay the CURRENT tree (jurisdiction
 * reads them); `unit_membership` holds every unit's ancestry over time as intervals [valid_from, valid_to)
 * (valid_to exclusive, null = open). Reports roll up through the intervals (unit_paths_during), so figures of
 * any day read the tree of that day.
 *
 * Writes that do not go through the restructuring code (createUnit, imports, fixtures) are mirrored by a
 * trigger: an insert opens an interval from -infinity, a path change rewrites the open interval in place.
 * Restructuring sets `vneid.dated_tree_write` for its transaction and keeps the intervals itself.
 */
export class Migration20261130002000DatedTree extends Migration {
  override async up(): Promise<void> {
    this.addSql(`create table "unit_membership" (
      "id" bigserial primary key, "unit_id" int not null constraint "unit_membership_unit_id_foreign" references "admin_unit" ("id") on update cascade on delete cascade,
      "parent_id" int null, "path" ltree not null, "valid_from" date not null, "valid_to" date null,
      constraint "unit_membership_interval" check ("valid_to" is null or "valid_to" > "valid_from"));`);
    this.addSql('create index "unit_membership_unit" on "unit_membership" ("unit_id", "valid_from");');
    this.addSql('create index "unit_membership_parent" on "unit_membership" ("parent_id", "valid_from");');
    this.addSql('create index "unit_membership_path_gist" on "unit_membership" using gist ("path");');
    this.addSql(`insert into unit_membership (unit_id, parent_id, path, valid_from, valid_to)
      select id, parent_id, path, '-infinity', null from admin_unit`);

    this.addSql(`create table "unit_name_history" (
      "id" bigserial primary key, "unit_id" int not null constraint "unit_name_history_unit_id_foreign" references "admin_unit" ("id") on update cascade on delete cascade,
      "name" text not null, "kind" text not null, "valid_from" date not null, "valid_to" date not null);`);
    this.addSql('create index "unit_name_history_unit" on "unit_name_history" ("unit_id", "valid_to");');

    this.addSql(`create table "unit_lineage" (
      "id" bigserial primary key,
      "predecessor_id" int not null constraint "unit_lineage_predecessor_id_foreign" references "admin_unit" ("id") on update cascade on delete restrict,
      "successor_id" int not null constraint "unit_lineage_successor_id_foreign" references "admin_unit" ("id") on update cascade on delete restrict,
      "effective_date" date not null,
      "kind" text check ("kind" in ('MERGED', 'SPLIT', 'ABOLISHED')) not null,
      "carries_figures" boolean not null default false,
      "share" numeric null,
      "created_at" timestamptz not null default now());`);
    this.addSql('create index "unit_lineage_predecessor" on "unit_lineage" ("predecessor_id");');
    this.addSql('create index "unit_lineage_successor" on "unit_lineage" ("successor_id");');

    this.addSql(`create or replace function unit_membership_sync() returns trigger language plpgsql as $$
      begin
        if coalesce(current_setting('vneid.dated_tree_write', true), '') = 'on' then return null; end if;
        if tg_op = 'INSERT' then
          insert into unit_membership (unit_id, parent_id, path, valid_from, valid_to) values (new.id, new.parent_id, new.path, '-infinity', null);
        elsif new.path is distinct from old.path or new.parent_id is distinct from old.parent_id then
          update unit_membership set path = new.path, parent_id = new.parent_id where unit_id = new.id and valid_to is null;
        end if;
        return null;
      end $$;`);
    this.addSql(`create trigger admin_unit_membership_sync after insert or update of path, parent_id on admin_unit
      for each row execute function unit_membership_sync();`);

    // The report writer spreads each change over these intervals (see ARCHITECTURE "one rollup model").
    this.addSql(`create or replace function unit_paths_during(p_unit int, p_from date)
      returns table(path ltree, valid_from date, valid_to date) language sql stable as $$
        select m.path, m.valid_from, m.valid_to from unit_membership m
         where m.unit_id = p_unit and (m.valid_to is null or m.valid_to > p_from)
         order by m.valid_from $$;`);
    // With several intervals a unit can stand at different depths (a hamlet moved from a commune under a district
    // to one under the province): one row per (unit, day), so callers grouping by depth never propose a key twice.
    this.addSql(`create or replace function rollup_spread(p_unit int, p_day date, p_change bigint, p_reporters int)
      returns table(unit_id int, depth int, date date, change bigint, reporters int, opening boolean)
      language sql stable as $fn$
        select a.unit_id::int, min(a.depth)::int, x.date, sum(x.change)::bigint, sum(x.reporters)::int, bool_or(x.opening)
          from unit_paths_during(p_unit, p_day) i
         cross join lateral unnest(string_to_array(i.path::text, '.')::int[]) with ordinality as a(unit_id, depth)
         cross join lateral (values (greatest(i.valid_from, p_day), p_change, p_reporters, true),
                                    (i.valid_to, -p_change, -p_reporters, false)) as x(date, change, reporters, opening)
         where (i.valid_to is null or i.valid_to > p_day) and x.date is not null
         group by a.unit_id, x.date
      $fn$;`);
    // The unit's ancestry in force on a day (null when it was in no tree that day).
    this.addSql(`create or replace function unit_path_on(p_unit int, p_day date) returns ltree language sql stable as $$
        select m.path from unit_membership m
         where m.unit_id = p_unit and m.valid_from <= p_day and (m.valid_to is null or m.valid_to > p_day)
         order by m.valid_from desc limit 1 $$;`);
  }
}
