import type { TestApp } from '../support/app';
import { gql, ok } from '../support/client';

export const gid = (id: number) => Buffer.from(`Unit:${id}`).toString('base64url');

/**
 * The truth on the dated tree, recomputed from progress_report and unit_membership alone: for each unit A, metric
 * and day D, the sum over the reporting units r whose interval in force on D has A in its path, of r's latest
 * report on or before D. (Shares of a split by shares are not reports; tests using them check those units apart.)
 */
export async function datedTruth(t: TestApp, days: string[], metric = 'eid.collected'): Promise<Map<string, number>> {
  const rows = await t.sql<{ unit_id: number; day: string; value: string }>(
    `select * from (with latest as (
       select distinct on (p.unit_id, d.day) p.unit_id, d.day, p.value
         from unnest($1::date[]) as d(day) join progress_report p on p.metric = $2 and p.as_of <= d.day
        order by p.unit_id, d.day, p.as_of desc)
     select x.id as unit_id, to_char(l.day, 'YYYY-MM-DD') as day, sum(l.value)::text as value
       from latest l
       join unit_membership tm on tm.unit_id = l.unit_id and tm.valid_from <= l.day and (tm.valid_to is null or tm.valid_to > l.day)
       cross join unnest(string_to_array(tm.path::text, '.')::int[]) as x(id)
      group by x.id, l.day) truth`,
    [days, metric],
  );
  return new Map(rows.map((r) => [`${r.unit_id}|${r.day}`, Number(r.value)]));
}

/** What the rollups say, for the same keys (rollup_change summed up to each day; units reading 0 are left out). */
export async function rollupFigures(t: TestApp, days: string[], metric = 'eid.collected'): Promise<Map<string, number>> {
  const rows = await t.sql<{ unit_id: number; day: string; value: string }>(
    `select c.unit_id, to_char(d.day, 'YYYY-MM-DD') as day, sum(c.change)::text as value
       from unnest($1::date[]) as d(day) join rollup_change c on c.metric = $2 and c.date <= d.day
      group by c.unit_id, d.day having sum(c.change) <> 0`,
    [days, metric],
  );
  return new Map(rows.map((r) => [`${r.unit_id}|${r.day}`, Number(r.value)]));
}

/** Differences between the two maps in both directions (missing keys read 0), as readable strings: empty when equal. */
export function differences(a: Map<string, number>, b: Map<string, number>): string[] {
  const keys = new Set([...a.keys(), ...b.keys()]);
  return [...keys].filter((k) => (a.get(k) ?? 0) !== (b.get(k) ?? 0)).map((k) => `${k}: ${a.get(k) ?? 0} vs ${b.get(k) ?? 0}`).slice(0, 20);
}

/** Every table a restructuring writes, to prove a refusal or a dry run wrote nothing. */
export async function treeTables(t: TestApp): Promise<string> {
  const parts = await Promise.all(
    ['admin_unit', 'unit_membership', 'unit_name_history', 'unit_lineage', 'rollup_change', 'rollup_total', 'audit_entry', '"grant"', 'team', 'quota', 'quota_history'].map((tbl) =>
      t.sql(`select count(*)::int as n, coalesce(md5(string_agg(x::text, '|' order by x::text)), '') as h from ${tbl} x`),
    ),
  );
  return JSON.stringify(parts);
}

export async function value(t: TestApp, token: string, code: string, asOf: string, metric = 'eid.collected'): Promise<number> {
  const r = ok(await gql(t, `query($c: String!, $d: Date!, $m: String!) { unitByCode(code: $c) { progress(metric: $m, asOf: $d) { value } } }`, { c: code, d: asOf, m: metric }, token));
  return r.unitByCode.progress?.value ?? 0;
}
