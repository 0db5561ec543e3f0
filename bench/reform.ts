import fs from 'node:fs';
import http from 'node:http';
import path from 'node:path';
import { Pool } from 'pg';
import { hashPassword } from '../src/auth/passwords';
import { openOrm, migrate } from '../src/db/orm';
import { vnUnitsDir } from './vn-units';
import { startApiServer, type ApiServer } from './api-server';
import { BENCH_PASSWORD, PIPELINE, insertPrincipal, loadProgressHistory } from './fixtures';
import { gql, loginAll, type GqlResponse } from './graphql';
import type { ScenarioResult } from './report';

/**
 * Scenario 10, issue 16: the July 2025 reform applied to the official 2024 list loaded with reports, timed as the
 * whole `applyRestructuring` mutation over HTTP. Runs in its own database of the bench's cluster with its own
 * production API, both removed at the end, so the synthetic national data of scenarios 1–9 is not touched.
 */
export const REFORM_ID = 10;
export const REFORM_NAME = 'restructuring: the July 2025 reform';
const DATABASE = 'reform';
const EFFECTIVE = '2025-07-01';
const LAST_REPORT_DAY = '2025-06-30';
/** The days whose figures must read the same after the change (every unit, every pipeline metric). */
const JUNE_DAYS = ['2025-06-01', '2025-06-30'];
const GOAL_SECONDS = 120;
/** The client waits this long for the mutation (the goal is 120 s; a slow run is measured, not cut). */
const CLIENT_TIMEOUT_MS = 30 * 60_000;
const ADMIN = 'bench.reform.admin';

const IMPORT_UNITS = `mutation($csv: String!) { importUnits(input: { csv: $csv }) { created } }`;
const APPLY = `mutation($input: ApplyRestructuringInput!) { applyRestructuring(input: $input) { dryRun effectiveDate created renamed moved retired lineageLinks grantsMoved } }`;
const COUNTS = `query($d: Date!) { p: units(level: PROVINCE, asOf: $d) { totalCount } d: units(level: DISTRICT, asOf: $d) { totalCount } c: units(level: COMMUNE, asOf: $d) { totalCount } }`;

export interface ReformOptions {
  /** The bench cluster's database (scenario 10 creates its own database beside it). */
  mainUrl: string;
  mainPool: Pool;
  root: string;
  privateKeyPem: string;
  nodeArgs: string[];
  /** Synthetic hamlets added under every commune of the official list (9 at scale 1). */
  hamletsPerCommune: number;
  days: number;
  log: (m: string) => void;
}

interface Counts {
  provinces: number;
  districts: number;
  communes: number;
}

/** The same cluster, another database. */
const databaseUrl = (url: string, name: string): string => {
  const u = new URL(url);
  u.pathname = `/${name}`;
  return u.toString();
};

/** A POST that waits as long as the mutation takes (fetch's own header timeout is 300 s). */
export function postLong(url: string, body: string, token: string, timeoutMs: number): Promise<GqlResponse> {
  return new Promise((resolve, reject) => {
    const req = http.request(url, { method: 'POST', headers: { 'content-type': 'application/json', 'content-length': Buffer.byteLength(body), authorization: `Bearer ${token}` } }, (res) => {
      const chunks: Buffer[] = [];
      res.on('data', (c: Buffer) => chunks.push(c));
      res.on('end', () => {
        const text = Buffer.concat(chunks).toString('utf8');
        try {
          resolve(JSON.parse(text) as GqlResponse);
        } catch {
          reject(new Error(`HTTP ${res.statusCode}: ${text.slice(0, 500)}`));
        }
      });
      res.on('error', reject);
    });
    req.setTimeout(timeoutMs, () => req.destroy(new Error(`no answer within ${timeoutMs / 1000} s`)));
    req.on('error', reject);
    req.end(body);
  });
}

async function counts(url: string, token: string, day: string): Promise<Counts> {
  const r = await gql<{ p: { totalCount: number }; d: { totalCount: number }; c: { totalCount: number } }>(url, JSON.stringify({ query: COUNTS, variables: { d: day } }), token);
  if (!r.data) throw new Error(`units(asOf: ${day}) failed: ${JSON.stringify(r.errors)}`);
  return { provinces: r.data.p.totalCount, districts: r.data.d.totalCount, communes: r.data.c.totalCount };
}

/**
 * `hamletsPerCommune` hamlets under every active commune, in one statement (the ids are drawn first, so each
 * path is complete on insert). The dated-tree trigger opens each hamlet's interval (from -infinity), as for any
 * unit written outside the restructuring code.
 */
export async function addHamlets(pool: Pool, perCommune: number): Promise<number> {
  const r = await pool.query(
    `insert into admin_unit (id, code, name, kind, level, parent_id, path, eligible_citizens, valid_from, created_at, updated_at)
     select h.id, h.code || '-' || h.n, 'Thôn ' || h.n, 'thôn', 'HAMLET', h.commune_id, (h.path::text || '.' || h.id)::ltree,
            300 + (h.id * 37) % 900, h.valid_from, now(), now()
       from (select nextval(pg_get_serial_sequence('admin_unit', 'id'))::int as id, c.id as commune_id, c.code, c.path, c.valid_from, n
               from admin_unit c cross join generate_series(1, $1::int) n
              where c.level = 'COMMUNE' and c.valid_to is null order by c.id, n) h`,
    [perCommune],
  );
  await pool.query('analyze admin_unit');
  await pool.query('analyze unit_membership');
  return r.rowCount ?? 0;
}

/**
 * Every unit's figures (value and reporters) per pipeline metric as of each of `days`, from the rollups (rows
 * dated ≤ the day summed; figures reading 0 left out), stored in `table` — test/restructure/support.ts's
 * rollupFigures, kept in the database (a million figures at scale 1).
 */
async function snapshotFigures(pool: Pool, table: string, days: string[]): Promise<number> {
  await pool.query(`drop table if exists ${table}`);
  const r = await pool.query(
    `create table ${table} as
     select c.unit_id, c.metric, d.day, sum(c.change)::bigint as value, sum(c.reporters)::bigint as reporters
       from unnest($1::date[]) as d(day) join rollup_change c on c.metric = any($2::text[]) and c.date <= d.day
      group by c.unit_id, c.metric, d.day having sum(c.change) <> 0 or sum(c.reporters) <> 0`,
    [days, PIPELINE.map((p) => p.metric)],
  );
  return r.rowCount ?? 0;
}

/** Figures that differ between two snapshots in either direction (a missing one reads 0), and the first 20 of them. */
async function differences(pool: Pool, a: string, b: string): Promise<{ count: number; sample: string[] }> {
  const { rows } = await pool.query<{ key: string }>(
    `select x.unit_id || '|' || x.metric || '|' || x.day || ': ' || x.a_value || '/' || x.a_reporters || ' vs ' || x.b_value || '/' || x.b_reporters as key
       from (select unit_id, metric, day, coalesce(a.value, 0) as a_value, coalesce(a.reporters, 0) as a_reporters,
                    coalesce(b.value, 0) as b_value, coalesce(b.reporters, 0) as b_reporters
               from ${a} a full join ${b} b using (unit_id, metric, day)) x
      where x.a_value <> x.b_value or x.a_reporters <> x.b_reporters order by 1`,
  );
  return { count: rows.length, sample: rows.slice(0, 20).map((r) => r.key) };
}

export async function reformScenario(o: ReformOptions): Promise<ScenarioResult> {
  const dir = vnUnitsDir();
  const files = ['units_2024.csv', 'districts_without_communes_2024.csv', 'mapping_2025.csv', 'units_2025.csv'];
  const absent = dir === null ? ['units_2024.csv'] : files.filter((f) => !fs.existsSync(path.join(dir, f)));
  if (dir === null || absent.length) {
    return { id: REFORM_ID, name: REFORM_NAME, status: 'skipped', note: `not available: the official lists (${absent.join(', ')}; set VN_UNITS_DIR)` };
  }
  const read = (f: string) => fs.readFileSync(path.join(dir, f), 'utf8');
  const { log } = o;
  const url = databaseUrl(o.mainUrl, DATABASE);
  await o.mainPool.query(`drop database if exists ${DATABASE} with (force)`);
  await o.mainPool.query(`create database ${DATABASE}`);
  let pool: Pool | undefined;
  let api: ApiServer | undefined;
  try {
    const orm = await openOrm(url, 2);
    try {
      await migrate(orm);
    } finally {
      await orm.close(true);
    }
    pool = new Pool({ connectionString: url, max: 4 });
    await insertPrincipal(pool, { username: ADMIN, passwordHash: await hashPassword(BENCH_PASSWORD), role: 'SYSTEM_ADMIN', unitIds: [null] });
    api = await startApiServer({ root: o.root, databaseUrl: url, privateKeyPem: o.privateKeyPem, mode: 'production', nodeArgs: o.nodeArgs, log });
    const [token] = await loginAll(api.url, [ADMIN], BENCH_PASSWORD, 1);

    // ---- data: the official 2024 list through importUnits, synthetic hamlets, daily reports -----------------------
    const loadStarted = performance.now();
    for (const f of ['units_2024.csv', 'districts_without_communes_2024.csv']) {
      const r = await postLong(api.url, JSON.stringify({ query: IMPORT_UNITS, variables: { csv: read(f) } }), token, CLIENT_TIMEOUT_MS);
      if (!r.data) throw new Error(`importUnits(${f}) failed: ${JSON.stringify(r.errors)}`);
      log(`scenario 10: importUnits ${f}: ${JSON.stringify(r.data)}`);
    }
    const hamlets = await addHamlets(pool, o.hamletsPerCommune);
    const firstDay = new Date(Date.parse(`${LAST_REPORT_DAY}T00:00:00Z`) - (o.days - 1) * 86_400_000).toISOString().slice(0, 10);
    log(`scenario 10: ${hamlets} hamlets (${o.hamletsPerCommune} per commune); loading ${o.days} days of reports (${firstDay}..${LAST_REPORT_DAY})…`);
    const progress = await loadProgressHistory(pool, LAST_REPORT_DAY, o.days);
    if (!progress) throw new Error('no progress tables');
    const loadSeconds = (performance.now() - loadStarted) / 1000;
    const [{ units }] = (await pool.query<{ units: number }>('select count(*)::int as units from admin_unit')).rows;
    log(`scenario 10: ${units} units, ${progress.reports} reports, ${progress.rollupRows} rollup_change rows (load ${loadSeconds.toFixed(1)} s)`);
    const beforeCounts = await counts(api.url, token, LAST_REPORT_DAY);
    const figuresBefore = await snapshotFigures(pool, 'bench_figures_before', JUNE_DAYS);

    // ---- the measured mutation -----------------------------------------------------------------------------------
    const input = { csv: read('mapping_2025.csv'), unitsCsv: read('units_2025.csv'), effectiveDate: EFFECTIVE };
    log(`scenario 10: applyRestructuring(mapping_2025.csv, effective ${EFFECTIVE}) over ${units} units…`);
    api.resetRss();
    const started = performance.now();
    const r = await postLong(api.url, JSON.stringify({ query: APPLY, variables: { input } }), token, CLIENT_TIMEOUT_MS);
    const seconds = (performance.now() - started) / 1000;
    const maxRssMb = api.maxRssMb();
    const summary = (r.data as { applyRestructuring?: Record<string, unknown> } | undefined)?.applyRestructuring ?? null;
    log(`scenario 10: applyRestructuring answered in ${seconds.toFixed(1)} s: ${summary ? JSON.stringify(summary) : JSON.stringify(r.errors)}`);
    const data = {
      units, hamlets, hamletsPerCommune: o.hamletsPerCommune, reportDays: o.days, reportsFrom: firstDay, reportsTo: LAST_REPORT_DAY,
      reportsLoaded: progress.reports, rollupChangeRowsLoaded: progress.rollupRows, loadSeconds: Math.round(loadSeconds * 10) / 10,
    };
    if (!summary) {
      return {
        id: REFORM_ID, name: REFORM_NAME, status: 'failed', note: `applyRestructuring: ${(r.errors ?? []).map((e) => `${e.extensions?.code ?? 'ERROR'} ${e.message}`).join('; ').slice(0, 2000)}`,
        seconds: Math.round(seconds * 10) / 10, maxRssMb,
        goal: { text: `≤ ${GOAL_SECONDS} s, tree counts right, 0 differences (the mutation failed)`, pass: false }, extra: { ...data, errors: r.errors },
      };
    }

    // ---- checks --------------------------------------------------------------------------------------------------
    const after = await counts(api.url, token, EFFECTIVE);
    const stillBefore = await counts(api.url, token, LAST_REPORT_DAY);
    await snapshotFigures(pool, 'bench_figures_after', JUNE_DAYS);
    const diff = await differences(pool, 'bench_figures_before', 'bench_figures_after');
    const countsRight =
      after.provinces === 34 && after.districts === 0 && after.communes === 3321 &&
      stillBefore.provinces === 63 && stillBefore.districts === 696 && stillBefore.communes === 10035;
    const pass = seconds <= GOAL_SECONDS && countsRight && diff.count === 0;
    return {
      id: REFORM_ID, name: REFORM_NAME, status: 'ran', seconds: Math.round(seconds * 10) / 10, errors: 0, maxRssMb,
      goal: {
        text: `≤ ${GOAL_SECONDS} s, tree counts right, 0 differences (${seconds.toFixed(1)} s; ${after.provinces}/${after.districts}/${after.communes} from ${EFFECTIVE}, ` +
          `${stillBefore.provinces}/${stillBefore.districts}/${stillBefore.communes} on ${LAST_REPORT_DAY}; ${diff.count} differences)`,
        pass,
      },
      extra: {
        ...data,
        result: summary,
        countsBefore: beforeCounts,
        countsAfter: { [EFFECTIVE]: after, [LAST_REPORT_DAY]: stillBefore },
        countsRight,
        figuresCompared: figuresBefore,
        figureDays: JUNE_DAYS,
        differences: diff.count,
        differenceSample: diff.sample,
      },
    };
  } finally {
    await api?.stop().catch(() => {});
    await pool?.end().catch(() => {});
    await o.mainPool.query(`drop database if exists ${DATABASE} with (force)`).catch((e: unknown) => log(`scenario 10: could not drop database ${DATABASE}: ${String(e)}`));
  }
}
