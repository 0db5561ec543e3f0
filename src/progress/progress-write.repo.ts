import type { EntityManager } from '@mikro-orm/postgresql';
import type { Point } from './rollup-plan';
import type { RollupRow, TotalRow } from './rollup-plan';

/** Writes of the progress feature. Callers have checked jurisdiction on every unit involved. */

const json = (rows: unknown[]): string => JSON.stringify(rows);

/**
 * Serialises writers of the same series (unit, metric) until commit. Locks are taken in one fixed
 * order (unit id, metric hash) so two writers of overlapping sets cannot deadlock.
 */
export async function lockSeries(em: EntityManager, series: readonly { unitId: number; metric: string }[]): Promise<void> {
  if (series.length === 0) return;
  await em.execute(
    `select count(pg_advisory_xact_lock(s.unit_id, hashtext(s.metric)))
       from (select v.unit_id, v.metric from jsonb_to_recordset(?::jsonb) as v(unit_id int, metric text)
              group by v.unit_id, v.metric order by v.unit_id, hashtext(v.metric) offset 0) s`,
    [json(series.map((s) => ({ unit_id: s.unitId, metric: s.metric })))],
  );
}

/**
 * The current paths of the reporting units, read FOR SHARE: a concurrent moveSubtree (which updates these
 * rows) waits for this transaction, or this one waits for it and sees the new paths.
 */
export async function currentPaths(em: EntityManager, unitIds: readonly number[]): Promise<Map<number, string>> {
  if (unitIds.length === 0) return new Map();
  const rows: { id: number; path: string }[] = await em.execute(
    `select id, path::text as path from admin_unit where id in (select jsonb_array_elements_text(?::jsonb)::int) order by id for share`,
    [JSON.stringify(unitIds)],
  );
  return new Map(rows.map((r) => [r.id, r.path]));
}

export interface WindowRow extends Point {
  unitId: number;
  metric: string;
}

/**
 * For each series and written range [lo, hi]: its existing reports from the latest one before lo
 * through the earliest one after hi (see rollup-plan.ts), in one statement.
 */
export async function seriesWindows(
  em: EntityManager,
  series: readonly { unitId: number; metric: string; lo: string; hi: string }[],
): Promise<WindowRow[]> {
  if (series.length === 0) return [];
  return em.execute(
    `select s.unit_id as "unitId", s.metric, to_char(r.as_of, 'YYYY-MM-DD') as "asOf", r.value::float8 as value
       from jsonb_to_recordset(?::jsonb) as s(unit_id int, metric text, lo date, hi date)
       join lateral (
         select r.as_of, r.value from progress_report r
          where r.unit_id = s.unit_id and r.metric = s.metric
            and r.as_of >= coalesce((select max(p.as_of) from progress_report p where p.unit_id = s.unit_id and p.metric = s.metric and p.as_of < s.lo), s.lo)
            and r.as_of <= coalesce((select min(n.as_of) from progress_report n where n.unit_id = s.unit_id and n.metric = s.metric and n.as_of > s.hi), s.hi)
       ) r on true`,
    [json(series.map((s) => ({ unit_id: s.unitId, metric: s.metric, lo: s.lo, hi: s.hi })))],
  );
}

export interface EffectiveRow {
  unitId: number;
  day: string;
  metric: string;
  asOf: string;
  value: number;
}

/** For each (unit, day): the latest stored report on or before that day of every pipeline metric. */
export async function pipelineValuesAt(em: EntityManager, keys: readonly { unitId: number; day: string }[]): Promise<EffectiveRow[]> {
  if (keys.length === 0) return [];
  return em.execute(
    `select k.unit_id as "unitId", to_char(k.day, 'YYYY-MM-DD') as day, m.code as metric,
            to_char(r.as_of, 'YYYY-MM-DD') as "asOf", r.value::float8 as value
       from (select distinct * from jsonb_to_recordset(?::jsonb) as v(unit_id int, day date)) k
       cross join metric m
       join lateral (select as_of, value from progress_report r
                      where r.unit_id = k.unit_id and r.metric = m.code and r.as_of <= k.day
                      order by r.as_of desc limit 1) r on true
      where m.pipeline_order is not null`,
    [json(keys.map((k) => ({ unit_id: k.unitId, day: k.day })))],
  );
}

export interface ReportWriteRow {
  unitId: number;
  metric: string;
  asOf: string;
  value: number;
  note: string | null;
}

/** Inserts or corrects reports; returns their ids by key. */
export async function upsertReports(
  em: EntityManager,
  rows: readonly ReportWriteRow[],
  principalId: number | null,
): Promise<{ id: string; unitId: number; metric: string; asOf: string }[]> {
  if (rows.length === 0) return [];
  return em.execute(
    `insert into progress_report (unit_id, metric, as_of, value, note, reported_by_id, reported_at)
     select v.unit_id, v.metric, v.as_of, v.value, v.note, ?::int, now()
       from jsonb_to_recordset(?::jsonb) as v(unit_id int, metric text, as_of date, value bigint, note text)
      order by v.unit_id, v.metric, v.as_of
     on conflict (unit_id, metric, as_of) do update
       set value = excluded.value, note = coalesce(excluded.note, progress_report.note),
           reported_by_id = excluded.reported_by_id, reported_at = excluded.reported_at
     returning id::text as id, unit_id as "unitId", metric, to_char(as_of, 'YYYY-MM-DD') as "asOf"`,
    [principalId, json(rows.map((r) => ({ unit_id: r.unitId, metric: r.metric, as_of: r.asOf, value: r.value, note: r.note })))],
  );
}

export interface HistoryWriteRow {
  reportId: string;
  unitId: number;
  metric: string;
  asOf: string;
  oldValue: number | null;
  newValue: number;
  reason: string | null;
}

export async function insertHistory(em: EntityManager, rows: readonly HistoryWriteRow[], principalId: number | null, requestId: string | null): Promise<void> {
  if (rows.length === 0) return;
  await em.execute(
    `insert into progress_history (report_id, unit_id, metric, as_of, old_value, new_value, reason, principal_id, request_id)
     select v.report_id, v.unit_id, v.metric, v.as_of, v.old_value, v.new_value, v.reason, ?::int, ?
       from jsonb_to_recordset(?::jsonb) as v(report_id bigint, unit_id int, metric text, as_of date, old_value bigint, new_value bigint, reason text)`,
    [
      principalId,
      requestId,
      json(rows.map((r) => ({ report_id: r.reportId, unit_id: r.unitId, metric: r.metric, as_of: r.asOf, old_value: r.oldValue, new_value: r.newValue, reason: r.reason }))),
    ],
  );
}

/** Adds the planned changes to rollup_change and rollup_total, rows already in lock order. */
export async function applyRollups(em: EntityManager, changes: readonly RollupRow[], totals: readonly TotalRow[]): Promise<void> {
  if (changes.length > 0) {
    await em.execute(
      `insert into rollup_change (unit_id, metric, date, change, reporters, last_report_at)
       select v.unit_id, v.metric, v.date, v.change, v.reporters, case when v.touched then now() end
         from jsonb_to_recordset(?::jsonb) as v(n int, unit_id int, metric text, date date, change bigint, reporters int, touched boolean)
        order by v.n
       on conflict (unit_id, metric, date) do update
         set change = rollup_change.change + excluded.change,
             reporters = rollup_change.reporters + excluded.reporters,
             last_report_at = greatest(rollup_change.last_report_at, excluded.last_report_at)`,
      [json(changes.map((c, n) => ({ n, unit_id: c.unitId, metric: c.metric, date: c.date, change: c.change, reporters: c.reporters, touched: c.touched })))],
    );
  }
  if (totals.length > 0) {
    await em.execute(
      `insert into rollup_total (unit_id, metric, value, reporters, last_report_at)
       select v.unit_id, v.metric, v.value, v.reporters, now()
         from jsonb_to_recordset(?::jsonb) as v(n int, unit_id int, metric text, value bigint, reporters int)
        order by v.n
       on conflict (unit_id, metric) do update
         set value = rollup_total.value + excluded.value,
             reporters = rollup_total.reporters + excluded.reporters,
             last_report_at = greatest(rollup_total.last_report_at, excluded.last_report_at)`,
      [json(totals.map((t, n) => ({ n, unit_id: t.unitId, metric: t.metric, value: t.value, reporters: t.reporters })))],
    );
  }
}
