import type { EntityManager } from '@mikro-orm/postgresql';
import type { Scope } from '../common/scoped';
import type { Page } from '../common/pagination';
import type { HistoryRow, ReportRow } from './progress.types';
import { pgArray, readRows } from '../db/prepared';

/*
 * Reads of the progress feature. Every function takes the caller's jurisdiction over the unit as a SQL
 * condition on alias `u` (admin_unit), so figures of units outside it never leave the database.
 * Rollup reads touch only the rows of the units asked for (rollup_change / rollup_total), never their
 * descendants' reports.
 */

const json = (rows: unknown[]): string => JSON.stringify(rows);

const REPORT_COLUMNS = `r.id::text as id, r.unit_id as "unitId", u.code as "unitCode", r.metric, to_char(r.as_of, 'YYYY-MM-DD') as "asOf",
  r.value::float8 as value, r.note, to_json(r.reported_at) #>> '{}' as "reportedAt"`;

export async function reportsByKeys(
  em: EntityManager,
  keys: readonly { unitId: number; metric: string; asOf: string }[],
  scope: Scope,
): Promise<ReportRow[]> {
  if (keys.length === 0) return [];
  return em.execute(
    `select ${REPORT_COLUMNS}
       from jsonb_to_recordset(?::jsonb) as k(unit_id int, metric text, as_of date)
       join progress_report r on r.unit_id = k.unit_id and r.metric = k.metric and r.as_of = k.as_of
       join admin_unit u on u.id = r.unit_id
      where ${scope.sql}
      order by r.metric`,
    [json(keys.map((k) => ({ unit_id: k.unitId, metric: k.metric, as_of: k.asOf }))), ...scope.bindings],
  );
}

export async function reportsByIds(em: EntityManager, ids: readonly number[], scope: Scope): Promise<ReportRow[]> {
  if (ids.length === 0) return [];
  return em.execute(
    `select ${REPORT_COLUMNS} from progress_report r join admin_unit u on u.id = r.unit_id
      where r.id in (${ids.map(() => '?').join(',')}) and ${scope.sql}`,
    [...ids, ...scope.bindings],
  );
}

/** A window of a series: from (exclusive of nothing before it when null) through `to`, both inclusive. */
export interface WindowKey {
  unitId: number;
  metric: string;
  /** null: from the beginning (a value as of `to`); a day: only changes on or after it ("since the start"). */
  from: string | null;
  to: string;
}

export interface WindowSum {
  value: number;
  reporters: number;
  /** ISO text as PostgreSQL wrote it (a Date is built only when a client asks: ProgressFigure.lastReportAt). */
  lastReportAt: string | null;
}

/**
 * For many (unit, metric, window) keys in one statement: the sum of rollup changes dated in the window.
 * With `from` null it is the unit's figure as of `to`; with a start day it is what was gained since then
 * (campaigns counting "since the start"). Windows reaching today or later read rollup_total (one row).
 */
export async function rollupWindows(em: EntityManager, keys: readonly WindowKey[], today: string, scope: Scope): Promise<(WindowSum | null)[]> {
  if (keys.length === 0) return [];
  if (keys.every((k) => k.from === null && k.to >= today)) return currentTotals(em, keys, scope);
  const rows = await windowSums(em, keys, today, scope);
  const out: (WindowSum | null)[] = keys.map(() => null);
  for (const r of rows) out[r.i - 1] = { value: Number(r.value), reporters: r.reporters, lastReportAt: r.lastReportAt };
  return out;
}

type WindowRow = { i: number; value: number; reporters: number; lastReportAt: string | null };

/**
 * The dashboard's case: every key is a figure as of today (or later), a rollup_total row. Read per unit (one index
 * descent for all its metrics, a dashboard's three or so), not per key; a unit in scope without a row has 0.
 */
async function currentTotals(em: EntityManager, keys: readonly WindowKey[], scope: Scope): Promise<(WindowSum | null)[]> {
  const rows = await readRows<{ unitId: number; metric: string | null; value: number; reporters: number; lastReportAt: string | null }>(
    em,
    `select u.id as "unitId", t.metric, t.value::float8 as value, t.reporters, to_json(t.last_report_at) #>> '{}' as "lastReportAt"
       from admin_unit u
       left join rollup_total t on t.unit_id = u.id and t.metric = any(?::text[])
      where u.id = any(?::int[]) and ${scope.sql}`,
    [pgArray([...new Set(keys.map((k) => k.metric))]), pgArray([...new Set(keys.map((k) => k.unitId))]), ...scope.bindings],
  );
  const inScope = new Set<number>();
  const totals = new Map<string, WindowSum>();
  for (const r of rows) {
    inScope.add(r.unitId);
    if (r.metric !== null) totals.set(`${r.unitId}|${r.metric}`, { value: Number(r.value), reporters: r.reporters, lastReportAt: r.lastReportAt });
  }
  return keys.map((k) => (inScope.has(k.unitId) ? (totals.get(`${k.unitId}|${k.metric}`) ?? { value: 0, reporters: 0, lastReportAt: null }) : null));
}

function windowSums(em: EntityManager, keys: readonly WindowKey[], today: string, scope: Scope): Promise<WindowRow[]> {
  return readRows(
    em,
    `select k.i::int as i, coalesce(t.value, h.value, 0)::float8 as value, coalesce(t.reporters, h.reporters, 0)::int as reporters,
            to_json(coalesce(t.last_report_at, h.last_report_at)) #>> '{}' as "lastReportAt"
       from unnest(?::int[], ?::text[], ?::date[], ?::date[]) with ordinality as k(unit_id, metric, from_day, to_day, i)
       join admin_unit u on u.id = k.unit_id
       left join rollup_total t on k.from_day is null and k.to_day >= ?::date and t.unit_id = k.unit_id and t.metric = k.metric
       left join lateral (
         select sum(c.change) as value, sum(c.reporters) as reporters, max(c.last_report_at) as last_report_at
           from rollup_change c
          where not (k.from_day is null and k.to_day >= ?::date)
            and c.unit_id = k.unit_id and c.metric = k.metric and c.date <= k.to_day and (k.from_day is null or c.date >= k.from_day)
       ) h on true
      where ${scope.sql}`,
    [pgArray(keys.map((k) => k.unitId)), pgArray(keys.map((k) => k.metric)), pgArray(keys.map((k) => k.from)), pgArray(keys.map((k) => k.to)), today, today, ...scope.bindings],
  );
}

/** Units at the metric's reporting level under each unit (itself included) on `day`: in the tree in force that day and existing that day. */
export async function reportingUnitCounts(
  em: EntityManager,
  keys: readonly { unitId: number; path: string; metric: string; day: string }[],
  scope: Scope,
): Promise<number[]> {
  if (keys.length === 0) return [];
  const rows: { i: number; n: number }[] = await readRows(
    em,
    `with k as materialized (
       -- the unit's ancestry on the day, computed once per key (in the join below it ran once per member compared)
       select k.*, unit_path_on(k.unit_id, k.day) as root from jsonb_to_recordset(?::jsonb) as k(i int, unit_id int, path ltree, metric text, day date))
     select k.i, count(u.id)::int as n
       from k
       join metric m on m.code = k.metric
       join unit_membership tm on tm.path <@ k.root and tm.valid_from <= k.day and (tm.valid_to is null or tm.valid_to > k.day)
       join admin_unit u on u.id = tm.unit_id and u.level = m.reporting_level and u.valid_from <= k.day and (u.valid_to is null or u.valid_to >= k.day)
      where ${scope.sql}
      group by k.i`,
    [json(keys.map((k, i) => ({ i, unit_id: k.unitId, path: k.path, metric: k.metric, day: k.day }))), ...scope.bindings],
  );
  const out = keys.map(() => 0);
  for (const r of rows) out[r.i] = r.n;
  return out;
}

/** Daily values from `from` to `to` of many (unit, metric) series in one statement: a running sum over the days. */
export async function rollupSeries(
  em: EntityManager,
  keys: readonly { unitId: number; metric: string; from: string; to: string }[],
  scope: Scope,
): Promise<{ i: number; date: string; value: number }[]> {
  if (keys.length === 0) return [];
  return readRows(
    em,
    `select k.i, to_char(d.day, 'YYYY-MM-DD') as date,
            (b.base + sum(coalesce(c.change, 0)) over (partition by k.i order by d.day))::float8 as value
       from jsonb_to_recordset(?::jsonb) as k(i int, unit_id int, metric text, from_day date, to_day date)
       join admin_unit u on u.id = k.unit_id
       cross join lateral (select coalesce(sum(change), 0) as base from rollup_change
                            where unit_id = k.unit_id and metric = k.metric and date < k.from_day) b
       cross join lateral generate_series(k.from_day, k.to_day, interval '1 day') as d(day)
       left join rollup_change c on c.unit_id = k.unit_id and c.metric = k.metric and c.date = d.day::date
      where ${scope.sql}
      order by k.i, d.day`,
    [json(keys.map((k, i) => ({ i, unit_id: k.unitId, metric: k.metric, from_day: k.from, to_day: k.to }))), ...scope.bindings],
  );
}

/** Reason metrics with a positive value as of `day`, largest first, for many units in one statement. */
export async function reasonFigures(
  em: EntityManager,
  keys: readonly { unitId: number; day: string }[],
  scope: Scope,
): Promise<{ i: number; metric: string; value: number }[]> {
  if (keys.length === 0) return [];
  return readRows(
    em,
    `select k.i, c.metric, sum(c.change)::float8 as value
       from jsonb_to_recordset(?::jsonb) as k(i int, unit_id int, day date)
       join admin_unit u on u.id = k.unit_id
       join rollup_change c on c.unit_id = k.unit_id and c.date <= k.day
       join metric m on m.code = c.metric and m."group" = 'REASON'
      where ${scope.sql}
      group by k.i, c.metric
     having sum(c.change) > 0
      order by k.i, sum(c.change) desc, c.metric`,
    [json(keys.map((k, i) => ({ i, unit_id: k.unitId, day: k.day }))), ...scope.bindings],
  );
}

const HISTORY_COLUMNS = `h.id::text as id, u.code as "unitCode", h.metric, to_char(h.as_of, 'YYYY-MM-DD') as "asOf", h.old_value::float8 as "oldValue",
  h.new_value::float8 as "newValue", h.reason, h.principal_id as "principalId", to_json(h.at) #>> '{}' as at, h.request_id as "requestId"`;

/** One page of history (newest first) for each of many units, in one statement. */
export async function historyPages(
  em: EntityManager,
  unitIds: readonly number[],
  metric: string | null,
  page: Page,
  scope: Scope,
): Promise<(HistoryRow & { unitId: number })[]> {
  if (unitIds.length === 0) return [];
  return em.execute(
    `select * from (
       select ${HISTORY_COLUMNS}, h.unit_id as "unitId", row_number() over (partition by h.unit_id order by h.id desc) as rn
         from progress_history h join admin_unit u on u.id = h.unit_id
        where h.unit_id in (${unitIds.map(() => '?').join(',')}) ${metric ? 'and h.metric = ?' : ''} and ${scope.sql}
     ) x where rn > ? and rn <= ? order by "unitId", rn`,
    [...unitIds, ...(metric ? [metric] : []), ...scope.bindings, page.offset, page.offset + page.limit + 1],
  );
}

export async function historyCounts(em: EntityManager, unitIds: readonly number[], metric: string | null, scope: Scope): Promise<Map<number, number>> {
  if (unitIds.length === 0) return new Map();
  const rows: { unitId: number; n: number }[] = await em.execute(
    `select h.unit_id as "unitId", count(*)::int as n from progress_history h join admin_unit u on u.id = h.unit_id
      where h.unit_id in (${unitIds.map(() => '?').join(',')}) ${metric ? 'and h.metric = ?' : ''} and ${scope.sql}
      group by h.unit_id`,
    [...unitIds, ...(metric ? [metric] : []), ...scope.bindings],
  );
  return new Map(rows.map((r) => [r.unitId, r.n]));
}

export async function historyByIds(em: EntityManager, ids: readonly number[], scope: Scope): Promise<HistoryRow[]> {
  if (ids.length === 0) return [];
  return em.execute(
    `select ${HISTORY_COLUMNS} from progress_history h join admin_unit u on u.id = h.unit_id
      where h.id in (${ids.map(() => '?').join(',')}) and ${scope.sql}`,
    [...ids, ...scope.bindings],
  );
}
