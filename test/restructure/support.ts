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
    `select a.id as unit_id, to_char(d.day, 'YYYY-MM-DD') as day, coalesce(sum(l.value), 0)::text as value
       from admin_unit a cross join unnest($1::date[]) as d(day)
       left join unit_membership tm on tm.valid_from <= d.day and (tm.valid_to is null or tm.valid_to > d.day)
             and a.id = any(string_to_array(tm.path::text, '.')::int[])
       left join lateral (select p.value from progress_report p where p.unit_id = tm.unit_id and p.metric = $2 and p.as_of <= d.day
                           order by p.as_of desc limit 1) l on true
      group by a.id, d.day`,
    [days, metric],
  );
  return new Map(rows.map((r) => [`${r.unit_id}|${r.day}`, Number(r.value)]));
}

/** What the rollups say, for the same keys (rollup_change summed up to each day). */
export async function rollupFigures(t: TestApp, days: string[], metric = 'eid.collected'): Promise<Map<string, number>> {
  const rows = await t.sql<{ unit_id: number; day: string; value: string }>(
    `select a.id as unit_id, to_char(d.day, 'YYYY-MM-DD') as day, coalesce(sum(c.change), 0)::text as value
       from admin_unit a cross join unnest($1::date[]) as d(day)
       left join rollup_change c on c.unit_id = a.id and c.metric = $2 and c.date <= d.day
      group by a.id, d.day`,
    [days, metric],
  );
  return new Map(rows.map((r) => [`${r.unit_id}|${r.day}`, Number(r.value)]));
}

/** Differences between the two maps, as readable strings (empty when exact). */
export function differences(a: Map<string, number>, b: Map<string, number>): string[] {
  return [...a].filter(([k, v]) => (b.get(k) ?? 0) !== v).map(([k, v]) => `${k}: ${v} vs ${b.get(k) ?? 0}`);
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
