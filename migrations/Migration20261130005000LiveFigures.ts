import { Migration } from '@mikro-orm/migrations';

/*
 * Live updates: every statement that changes rollup_change (reports, corrections, imports, unit moves) notifies
 * channel `vneid_unit_figures` with the (unit, metric, unit path) triples it touched, the reporting unit's and
 * every ancestor's, at commit, to every API instance listening (src/live/figures-listener.ts). Statement-level
 * triggers over transition tables: the writer runs no extra statement and a bulk import sends a few notifications,
 * not one per row. Payloads stay under PostgreSQL's 8,000-byte limit (100 triples each).
 */
export class Migration20261130005000LiveFigures extends Migration {
  override async up(): Promise<void> {
    this.addSql(`create or replace function notify_unit_figures() returns trigger language plpgsql as $$
      declare payload text;
      begin
        for payload in
          select string_agg(item, ',') from (
            select item, (row_number() over (order by item) - 1) / 100 as chunk
              from (select distinct c.unit_id::text || ':' || c.metric || ':' || u.path::text as item
                      from changed_rows c join admin_unit u on u.id = c.unit_id) d
          ) numbered group by chunk
        loop
          perform pg_notify('vneid_unit_figures', payload);
        end loop;
        return null;
      end $$;`);
    this.addSql(`create trigger rollup_change_notify_insert after insert on rollup_change
      referencing new table as changed_rows for each statement execute function notify_unit_figures();`);
    this.addSql(`create trigger rollup_change_notify_update after update on rollup_change
      referencing new table as changed_rows for each statement execute function notify_unit_figures();`);
  }

  override async down(): Promise<void> {
    this.addSql('drop trigger if exists rollup_change_notify_insert on rollup_change;');
    this.addSql('drop trigger if exists rollup_change_notify_update on rollup_change;');
    this.addSql('drop function if exists notify_unit_figures();');
  }
}
