import type { TestApp } from '../support/app';
import { gql, ok } from '../support/client';
import { insertUnits, type UnitSpec } from '../support/factories';
import { todayInVietnam } from '../../src/common/scalars';

/** provinces × districts × communes × hamlets, codes like A, A1, A1a, A1a-1. Returns ids by code. */
export async function gridTree(t: TestApp, provinces = ['A', 'B'], districts = 2, communes = 2, hamlets = 3): Promise<Record<string, number>> {
  const units: UnitSpec[] = [];
  for (const p of provinces) {
    units.push({ code: p, name: `Tỉnh ${p}`, kind: 'tỉnh', level: 'PROVINCE' });
    for (let d = 1; d <= districts; d++) {
      const dc = `${p}${d}`;
      units.push({ code: dc, name: `Huyện ${dc}`, kind: 'huyện', level: 'DISTRICT', parent: p });
      for (let c = 0; c < communes; c++) {
        const cc = `${dc}${'abcdefgh'[c]}`;
        units.push({ code: cc, name: `Xã ${cc}`, kind: 'xã', level: 'COMMUNE', parent: dc });
        for (let h = 1; h <= hamlets; h++) units.push({ code: `${cc}-${h}`, name: `Thôn ${cc}-${h}`, kind: 'thôn', level: 'HAMLET', parent: cc });
      }
    }
  }
  return insertUnits(t, units);
}

export const REPORT = `mutation($input: ReportProgressInput!) { reportProgress(input: $input) { changed reports { id metric asOf value note } } }`;
export const IMPORT = `mutation($input: ImportProgressInput!) { importProgress(input: $input) { rows changed unchanged dryRun } }`;
export const PROGRESS = `query($id: ID!, $m: String!, $d: Date) { unit(id: $id) { progress(metric: $m, asOf: $d) { value reportingUnits reportedUnits lastReportAt } } }`;

export async function unitId(t: TestApp, code: string, token: string): Promise<string> {
  return ok(await gql(t, `query($c: String!) { unitByCode(code: $c) { id } }`, { c: code }, token)).unitByCode.id;
}

/** A snapshot of everything the progress feature stores, to prove a refusal wrote nothing. */
export async function progressTables(t: TestApp): Promise<string> {
  const parts = await Promise.all(
    ['progress_report', 'progress_history', 'rollup_change', 'rollup_total', 'audit_entry'].map((tbl) =>
      t.sql(`select count(*)::int as n, coalesce(md5(string_agg(x::text, '|' order by x::text)), '') as h from ${tbl} x`),
    ),
  );
  return JSON.stringify(parts);
}

/**
 * The truth, recomputed from progress_report and the dated tree with plain SQL: for each unit, metric and day,
 * the sum over the reporting units under it that day (unit_membership: the interval in force) of their latest
 * report on or before that day. Without restructurings every unit has one interval and this is its current subtree.
 */
export async function recomputed(t: TestApp, days: string[]): Promise<Map<string, { value: number; reported: number }>> {
  const rows = await t.sql<{ unit_id: number; metric: string; day: string; value: string; reported: number }>(
    // A plain select (test/support/app.ts advances the data version after any other statement).
    `select * from (with latest as (
       select distinct on (p.unit_id, p.metric, d.day) p.unit_id, p.metric, d.day, p.value
         from unnest($1::date[]) as d(day) join progress_report p on p.as_of <= d.day
        order by p.unit_id, p.metric, d.day, p.as_of desc),
     spread as (
       select x.id::int as unit_id, l.metric, l.day, sum(l.value) as value, count(*)::int as reported
         from latest l
         join unit_membership tm on tm.unit_id = l.unit_id and tm.valid_from <= l.day and (tm.valid_to is null or tm.valid_to > l.day)
        cross join unnest(string_to_array(tm.path::text, '.')::int[]) as x(id)
        group by 1, 2, 3)
     select a.id as unit_id, m.code as metric, to_char(d.day, 'YYYY-MM-DD') as day,
            coalesce(s.value, 0)::text as value, coalesce(s.reported, 0)::int as reported
       from admin_unit a cross join metric m cross join unnest($1::date[]) as d(day)
       left join spread s on s.unit_id = a.id and s.metric = m.code and s.day = d.day) truth`,
    [days],
  );
  return new Map(rows.map((r) => [`${r.unit_id}|${r.metric}|${r.day}`, { value: Number(r.value), reported: r.reported }]));
}

/** Every (unit, metric, day) where the rollup tables disagree with `recomputed` (and every total against today's truth). */
export async function rollupMismatches(t: TestApp, days: string[]): Promise<string[]> {
  const truth = await recomputed(t, days);
  const out: string[] = [];
  const sums = await t.sql<{ unit_id: number; metric: string; day: string; value: string; reporters: string }>(
    `select u.id as unit_id, m.code as metric, to_char(d.day, 'YYYY-MM-DD') as day,
            coalesce(sum(c.change), 0)::text as value, coalesce(sum(c.reporters), 0)::text as reporters
       from admin_unit u cross join metric m cross join unnest($1::date[]) as d(day)
       left join rollup_change c on c.unit_id = u.id and c.metric = m.code and c.date <= d.day
      group by 1, 2, 3`,
    [days],
  );
  for (const r of sums) {
    const e = truth.get(`${r.unit_id}|${r.metric}|${r.day}`)!;
    if (Number(r.value) !== e.value || Number(r.reporters) !== e.reported) out.push(`change ${r.unit_id} ${r.metric} ${r.day}: ${r.value}/${r.reporters} ≠ ${e.value}/${e.reported}`);
  }
  const today = todayInVietnam();
  if (!days.includes(today)) throw new Error('rollupMismatches: include today among the days, to check rollup_total');
  const totals = await t.sql<{ unit_id: number; metric: string; value: string; reporters: number }>('select unit_id, metric, value::text, reporters from rollup_total');
  for (const r of totals) {
    const e = truth.get(`${r.unit_id}|${r.metric}|${today}`)!;
    if (Number(r.value) !== e.value || r.reporters !== e.reported) out.push(`total ${r.unit_id} ${r.metric}: ${r.value}/${r.reporters} ≠ ${e.value}/${e.reported}`);
  }
  return out;
}
