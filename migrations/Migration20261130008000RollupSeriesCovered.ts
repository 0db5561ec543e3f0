import { Migration } from '@mikro-orm/migrations';

/*
 * A series' changes read from its key's index alone. Campaign standings, daily series and reasons sum a unit's
 * rollup_change rows up to a day; one day's rows of all units are written together, so the 30 days of a series lie
 * on 30 heap pages, while their keys are neighbours in the primary key's B-tree. With `change` carried in that index
 * (INCLUDE), those sums are index-only scans of one or two leaf pages: the national dashboard's campaign figures
 * statement 9.2 → 6.2 ms (63 provinces × 3 metrics with their siblings' ranks, default-scale bench data).
 *
 * The writers' cost stays within noise (bench/writer-profile.ts, 8 connections: 1,069 writes/s and 1.50 ms of backend
 * CPU per write with it, 1,108 and 1.43 without; one call at a time 1.18 vs 1.16 ms): a write's rollup rows already
 * changed an indexed column or found no room on a full page, so few of their updates were HOT. The index grows by
 * one bigint per row. The rebuild holds the table's lock for its duration (≈ 8 s per 10 million rows).
 */
export class Migration20261130008000RollupSeriesCovered extends Migration {
  override async up(): Promise<void> {
    this.addSql(`alter table rollup_change drop constraint rollup_change_pkey,
      add constraint rollup_change_pkey primary key (unit_id, metric, date) include (change);`);
  }

  override async down(): Promise<void> {
    this.addSql(`alter table rollup_change drop constraint rollup_change_pkey,
      add constraint rollup_change_pkey primary key (unit_id, metric, date);`);
  }
}
