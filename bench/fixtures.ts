import type { Pool } from 'pg';
import { hashPassword } from '../src/auth/passwords';
import { tableExists } from './database';

/** Data the scenarios need beyond the unit tree: campaigns with quotas, progress history, principals. */

export const PIPELINE = [
  { metric: 'eid.collected', share: 0.9, quotaShare: 0.95 },
  { metric: 'eid.approved', share: 0.8, quotaShare: 0.9 },
  { metric: 'eid.activated', share: 0.7, quotaShare: 0.85 },
] as const;
export const CAMPAIGN_NAME = 'Bench: cao điểm toàn quốc';
export const NATIONAL_CAMPAIGN_NAME = 'Bench: chiến dịch quốc gia';
export const BENCH_PASSWORD = 'bench-password-2025';

const metricValues = PIPELINE.map((p) => `('${p.metric}', ${p.share}::numeric, ${p.quotaShare}::numeric)`).join(', ');

/**
 * One ACTIVE campaign per province (the tree has no national root a single campaign could be scoped at), all
 * with the same name and the three pipeline metrics, and a quota for every unit of every level: a hamlet's
 * target is a share of its eligible citizens, every other unit's the sum of its hamlets' (so STRICT holds).
 * Set-based SQL, not assignQuotas (no quota history nor audit rows): the bench measures reads of quotas.
 */
export async function loadCampaigns(pool: Pool, firstDay: string): Promise<{ campaigns: number; quotas: number }> {
  const c = await pool.query(
    `insert into campaign (name, description, scope_unit_id, start_date, deadline, status, min_teams_per_hamlet, created_at, updated_at)
     select $1, 'Benchmark campaign', id, $2::date, $2::date + 180, 'ACTIVE', 5, now(), now() from admin_unit where level = 'PROVINCE'`,
    [CAMPAIGN_NAME, firstDay],
  );
  await pool.query(
    `insert into campaign_metric (campaign_id, metric_code, counting_mode, allocation_mode)
     select c.id, m.code, 'CUMULATIVE', 'STRICT' from campaign c cross join (values ${metricValues}) m(code, share, qshare) where c.name = $1`,
    [CAMPAIGN_NAME],
  );
  const q = await pool.query(
    `with h as (
       select u.path, m.code, ceil(u.eligible_citizens * m.qshare)::bigint as t
         from admin_unit u cross join (values ${metricValues}) m(code, share, qshare)
        where u.level = 'HAMLET' and u.valid_to is null and u.eligible_citizens is not null
     ), s as (
       select a.unit_id, h.code, sum(h.t)::int as target
         from h cross join lateral unnest(string_to_array(h.path::text, '.')::int[]) as a(unit_id)
        group by a.unit_id, h.code
     )
     insert into quota (campaign_id, unit_id, metric_code, target, assigned_by_id, assigned_at)
     select c.id, s.unit_id, s.code, s.target, null, now()
       from s join admin_unit u on u.id = s.unit_id
       join campaign c on c.name = $1 and c.scope_unit_id = (string_to_array(u.path::text, '.'))[1]::int`,
    [CAMPAIGN_NAME],
  );
  // One national campaign (no scope unit) with a quota per province: what the national dashboard ranks.
  const n = await pool.query<{ id: number }>(
    `insert into campaign (name, description, scope_unit_id, start_date, deadline, status, min_teams_per_hamlet, created_at, updated_at)
     values ($1, 'Benchmark national campaign', null, $2::date, $2::date + 180, 'ACTIVE', 5, now(), now()) returning id`,
    [NATIONAL_CAMPAIGN_NAME, firstDay],
  );
  await pool.query(
    `insert into campaign_metric (campaign_id, metric_code, counting_mode, allocation_mode)
     select $1, m.code, 'CUMULATIVE', 'STRICT' from (values ${metricValues}) m(code, share, qshare)`,
    [n.rows[0].id],
  );
  const nq = await pool.query(
    `insert into quota (campaign_id, unit_id, metric_code, target, assigned_by_id, assigned_at)
     select $1, q.unit_id, q.metric_code, q.target, null, now()
       from quota q join admin_unit u on u.id = q.unit_id join campaign c on c.id = q.campaign_id
      where c.name = $2 and u.level = 'PROVINCE'`,
    [n.rows[0].id, CAMPAIGN_NAME],
  );
  await pool.query('analyze quota');
  return { campaigns: (c.rowCount ?? 0) + 1, quotas: (q.rowCount ?? 0) + (nq.rowCount ?? 0) };
}

/**
 * Daily reports of the three pipeline metrics for every active hamlet with eligible citizens, over `days` days
 * ending `lastDay` (cumulative, growing linearly to a share of the eligible citizens), then the rollup tables
 * computed from them exactly as the write path would have left them on the dated tree (rollup_spread): each
 * report's change over the previous one of its series (+1 reporter on a series' first day) reaches the
 * ancestors of every interval of the hamlet that ends after the report's day (unit_membership), +change at
 * max(valid_from, day) and −change at valid_to; rollup_total is the sum. Used for the synthetic national tree
 * (scenarios 1–9) and for the official 2024 list (scenario 10). Returns null when the progress tables do not
 * exist (progress reporting not merged yet).
 */
export async function loadProgressHistory(pool: Pool, lastDay: string, days: number): Promise<{ reports: number; rollupRows: number; ms: number } | null> {
  if (!(await tableExists(pool, 'progress_report')) || !(await tableExists(pool, 'rollup_change'))) return null;
  const started = performance.now();
  const client = await pool.connect();
  try {
    await client.query(`set work_mem = '256MB'`);
    await client.query(`set maintenance_work_mem = '512MB'`);
    await client.query('begin');
    const r = await client.query(
      `insert into progress_report (unit_id, metric, as_of, value, reported_by_id, reported_at)
       select u.id, m.code, $1::date - $2::int + d.i, floor(u.eligible_citizens * m.share * d.i / $2::int)::bigint, null, now()
         from admin_unit u
        cross join (values ${metricValues}) m(code, share, qshare)
        cross join generate_series(1, $2::int) d(i)
        where u.level = 'HAMLET' and u.valid_to is null and u.eligible_citizens is not null
        order by u.id, m.code, d.i`,
      [lastDay, days],
    );
    const c = await client.query(
      `with r as (
         select r.unit_id, r.metric, r.as_of,
                r.value - coalesce(lag(r.value) over w, 0) as change,
                case when lag(r.value) over w is null then 1 else 0 end as reporters
           from progress_report r
         window w as (partition by r.unit_id, r.metric order by r.as_of)
       )
       insert into rollup_change (unit_id, metric, date, change, reporters, last_report_at)
       select a.unit_id, r.metric, x.date, sum(x.change), sum(x.reporters), now()
         from r join unit_membership m on m.unit_id = r.unit_id and (m.valid_to is null or m.valid_to > r.as_of)
        cross join lateral (values (greatest(m.valid_from, r.as_of), r.change, r.reporters), (m.valid_to, -r.change, -r.reporters)) as x(date, change, reporters)
        cross join lateral unnest(string_to_array(m.path::text, '.')::int[]) as a(unit_id)
        where x.date is not null
        group by a.unit_id, r.metric, x.date`,
    );
    await client.query(
      `insert into rollup_total (unit_id, metric, value, reporters, last_report_at)
       select unit_id, metric, sum(change), sum(reporters), max(last_report_at) from rollup_change group by unit_id, metric`,
    );
    await client.query('commit');
    // As autovacuum leaves tables in service: statistics, and pages marked all-visible (index-only scans of a
    // series' changes read no heap page: migrations/…RollupSeriesCovered).
    await client.query('vacuum (analyze) progress_report');
    await client.query('vacuum (analyze) rollup_change');
    await client.query('vacuum (analyze) rollup_total');
    return { reports: r.rowCount ?? 0, rollupRows: c.rowCount ?? 0, ms: Math.round(performance.now() - started) };
  } catch (e) {
    await client.query('rollback').catch(() => {});
    throw e;
  } finally {
    client.release();
  }
}

/**
 * One USER principal with a grant of `role` on each of `unitIds` (null: a national grant, for SYSTEM_ADMIN or
 * VIEWER), inserted by SQL like test/support/principals.ts; its home unit is the first one.
 */
export async function insertPrincipal(pool: Pool, p: { username: string; passwordHash: string; role: string; unitIds: (number | null)[] }): Promise<number> {
  const [{ id }] = (
    await pool.query<{ id: number }>(
      `insert into principal (kind, username, display_name, password_hash, status, home_unit_id, created_at, updated_at)
       values ('USER', $1, $1, $2, 'ACTIVE', $3, now(), now()) returning id`,
      [p.username, p.passwordHash, p.unitIds[0] ?? null],
    )
  ).rows;
  await pool.query(`insert into "grant" (principal_id, role, unit_id, created_at) select $1, $2, u, now() from unnest($3::int[]) u`, [id, p.role, p.unitIds]);
  return id;
}

export interface BenchPrincipal {
  username: string;
  /** Code of the unit of its grant(s). */
  unitCode: string;
  unitId: number;
}

export interface BenchPrincipals {
  national: BenchPrincipal;
  province: BenchPrincipal;
  commune: BenchPrincipal;
  hamlets: BenchPrincipal[];
  /** Hamlet OFFICERs all inside one province (the one with most hamlets): every report touches its rows. */
  hot: BenchPrincipal[];
}

/**
 * Principals at every level, inserted by SQL like test/support/principals.ts (all share one scrypt hash of
 * BENCH_PASSWORD, hashed once): a national VIEWER (a VIEWER grant on each of the 63 provinces: grants need a
 * unit, and only SYSTEM_ADMIN may be national), a province VIEWER, a commune OFFICER, and `hamletCount`
 * hamlet OFFICERs spread over the country.
 */
export async function loadPrincipals(pool: Pool, hamletCount: number, hotCount = 0): Promise<BenchPrincipals> {
  const hash = await hashPassword(BENCH_PASSWORD);
  const [province] = (await pool.query<{ id: number; code: string }>(`select id, code from admin_unit where level = 'PROVINCE' and code = '49'`)).rows;
  const [commune] = (
    await pool.query<{ id: number; code: string }>(
      `select c.id, c.code from admin_unit c where c.level = 'COMMUNE' and c.path <@ (select path from admin_unit where code = '49') order by c.code limit 1`,
    )
  ).rows;
  const hamlets = (
    await pool.query<{ id: number; code: string }>(
      `select id, code from (select id, code, row_number() over (order by id) as n, count(*) over () as total from admin_unit where level = 'HAMLET') h
        where n % greatest(1, total / $1) = 0 order by id limit $1`,
      [hamletCount],
    )
  ).rows;
  const hot = (
    await pool.query<{ id: number; code: string }>(
      `with p as (select p.path from admin_unit p where p.level = 'PROVINCE'
                   order by (select count(*) from admin_unit h where h.level = 'HAMLET' and h.path <@ p.path) desc, p.code limit 1)
       select h.id, h.code from admin_unit h, p where h.level = 'HAMLET' and h.valid_to is null and h.path <@ p.path
          and h.id <> all($2::int[]) order by h.id limit $1`,
      [hotCount, hamlets.map((h) => h.id)],
    )
  ).rows;
  const insert = (username: string, role: string, unitIds: (number | null)[]) => insertPrincipal(pool, { username, passwordHash: hash, role, unitIds });
  const provinces = (await pool.query<{ id: number }>(`select id from admin_unit where level = 'PROVINCE' order by code`)).rows.map((r) => r.id);
  // BENCH_NATIONAL=SYSTEM_ADMIN: the national reader is one national SYSTEM_ADMIN grant instead (to compare the cost of 63 grants).
  if (process.env.BENCH_NATIONAL === 'SYSTEM_ADMIN') await insert('bench.national', 'SYSTEM_ADMIN', [null]);
  else if (process.env.BENCH_NATIONAL === 'PROVINCES') await insert('bench.national', 'VIEWER', provinces);
  else await insert('bench.national', 'VIEWER', [null]); // a national VIEWER grant (no unit)
  await insert('bench.province', 'VIEWER', [province.id]);
  await insert('bench.commune', 'OFFICER', [commune.id]);
  for (const h of [...hamlets, ...hot]) await insert(`bench.hamlet.${h.code.toLowerCase()}`, 'OFFICER', [h.id]);
  return {
    national: { username: 'bench.national', unitCode: 'VN', unitId: 0 },
    province: { username: 'bench.province', unitCode: province.code, unitId: province.id },
    commune: { username: 'bench.commune', unitCode: commune.code, unitId: commune.id },
    hamlets: hamlets.map((h) => ({ username: `bench.hamlet.${h.code.toLowerCase()}`, unitCode: h.code, unitId: h.id })),
    hot: hot.map((h) => ({ username: `bench.hamlet.${h.code.toLowerCase()}`, unitCode: h.code, unitId: h.id })),
  };
}
