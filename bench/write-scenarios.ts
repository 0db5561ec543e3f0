import { spawn } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { pipeline } from 'node:stream/promises';
import type { Pool } from 'pg';
import { to as copyTo } from 'pg-copy-streams';
import { toGlobalId } from '../src/common/global-id';
import { gqlBody, type LoadEntry } from './load';
import { loginBody } from './graphql';
import { PIPELINE } from './fixtures';

const REPORT = `mutation Report($input: ReportProgressInput!) { reportProgress(input: $input) { changed } }`;

/**
 * reportProgress bodies, one per hamlet token, sent round robin: a hamlet comes back only after every other one,
 * so no two reports of one hamlet are in flight together. Values are the running counter (`__N__`, started above
 * any stored value), equal for the three pipeline metrics, so each report is a new or raised figure for today.
 */
export function reportEntries(hamlets: { unitId: number; token: string }[], asOf: string): LoadEntry[] {
  return hamlets.map((h) => {
    const values = PIPELINE.map((p) => `{"metric":"${p.metric}","value":__N__}`).join(',');
    // With a reason: when the load generator lets a hamlet's later report overtake an earlier one, the earlier
    // (lower) value lands as a correction instead of a refusal; the work per report is the same.
    const input = { unitId: toGlobalId('Unit', h.unitId), asOf, values: [], correctionReason: 'bench: reports may arrive out of order' };
    const body = gqlBody(REPORT, { input }).replace('"values":[]', `"values":[${values}]`);
    return { token: h.token, body };
  });
}

export function loginEntries(usernames: string[], password: string): LoadEntry[] {
  return usernames.map((u) => ({ token: null, body: loginBody(u, password) }));
}

export interface RollupCheck {
  exact: boolean;
  changeRowsChecked: number;
  changeMismatches: number;
  totalRowsChecked: number;
  totalMismatches: number;
  ms: number;
}

/**
 * Recomputes every rollup from the raw reports (each report's change over the previous one of its series,
 * spread to the reporting unit and every ancestor) and compares with rollup_change (per day) and
 * rollup_total (current), value and reporter count alike. Zero rows on either side count as absent.
 */
export async function verifyRollups(pool: Pool): Promise<RollupCheck> {
  const started = performance.now();
  const client = await pool.connect();
  try {
    await client.query(`set work_mem = '256MB'`);
    await client.query('begin isolation level repeatable read');
    await client.query(`create temporary table expected_change on commit drop as
      with r as (
        select r.unit_id, r.metric, r.as_of, r.value - coalesce(lag(r.value) over w, 0) as change,
               case when lag(r.value) over w is null then 1 else 0 end as reporters
          from progress_report r window w as (partition by r.unit_id, r.metric order by r.as_of))
      select a.unit_id, r.metric, r.as_of as date, sum(r.change) as change, sum(r.reporters) as reporters
        from r join admin_unit u on u.id = r.unit_id
       cross join lateral unnest(string_to_array(u.path::text, '.')::int[]) as a(unit_id)
       group by a.unit_id, r.metric, r.as_of`);
    const [changes] = (
      await client.query<{ checked: number; bad: number }>(
        `select count(*)::int as checked,
                count(*) filter (where coalesce(e.change, 0) <> coalesce(c.change, 0) or coalesce(e.reporters, 0) <> coalesce(c.reporters, 0))::int as bad
           from expected_change e full join rollup_change c using (unit_id, metric, date)`,
      )
    ).rows;
    const [totals] = (
      await client.query<{ checked: number; bad: number }>(
        `with e as (select unit_id, metric, sum(change) as value, sum(reporters) as reporters from expected_change group by unit_id, metric)
         select count(*)::int as checked,
                count(*) filter (where coalesce(e.value, 0) <> coalesce(t.value, 0) or coalesce(e.reporters, 0) <> coalesce(t.reporters, 0))::int as bad
           from e full join rollup_total t using (unit_id, metric)`,
      )
    ).rows;
    await client.query('commit');
    return {
      exact: changes.bad === 0 && totals.bad === 0,
      changeRowsChecked: changes.checked,
      changeMismatches: changes.bad,
      totalRowsChecked: totals.checked,
      totalMismatches: totals.bad,
      ms: Math.round(performance.now() - started),
    };
  } catch (e) {
    await client.query('rollback').catch(() => {});
    throw e;
  } finally {
    client.release();
  }
}

/**
 * A CSV of `rows` progress rows for the days after the loaded history (firstDay onwards): every hamlet's three
 * pipeline metrics per day, each day 10 above the last history value, so the rows are valid appends. Streamed
 * from PostgreSQL to the file (COPY … TO STDOUT), so a million rows cost the bench no memory.
 */
export async function writeImportCsv(pool: Pool, opts: { rows: number; historyDays: number; firstDay: string; dayOffset?: number; days: number }): Promise<string> {
  const file = path.join(fs.mkdtempSync(path.join(os.tmpdir(), 'vneid-bench-import-')), 'progress.csv');
  const shares = PIPELINE.map((p) => `('${p.metric}', ${p.share}::numeric)`).join(', ');
  const day = (n: number) => Math.trunc(n);
  fs.writeFileSync(file, 'unit_code,metric,as_of,value\n');
  const client = await pool.connect();
  try {
    const sql = `copy (
      select h.code, m.code, to_char('${opts.firstDay}'::date + d.j - 1, 'YYYY-MM-DD'),
             floor(h.eligible_citizens * m.share * ${day(opts.historyDays)} / ${day(opts.historyDays)})::bigint + 10 * (d.j + ${day(opts.dayOffset ?? 0)})
        from admin_unit h cross join (values ${shares}) m(code, share) cross join generate_series(1, ${day(opts.days)}) d(j)
       where h.level = 'HAMLET' and h.valid_to is null and h.eligible_citizens is not null
       order by d.j, h.id, m.code
       limit ${day(opts.rows)}) to stdout with (format csv)`;
    await pipeline(client.query(copyTo(sql)), fs.createWriteStream(file, { flags: 'a' }));
  } finally {
    client.release();
  }
  return file;
}

/** PostgreSQL's count of deadlocks it detected in this database (the API retries them; clients never see one). */
export async function deadlocks(pool: Pool): Promise<number> {
  const { rows } = await pool.query<{ n: string }>('select deadlocks::text as n from pg_stat_database where datname = current_database()');
  return Number(rows[0].n);
}

/** Runs the compiled `import:progress` CLI (what `npm run import:progress` runs after building) on the file. */
export function runImportCli(root: string, databaseUrl: string, file: string): Promise<{ ms: number; code: number; output: string; maxRssMb: number | null }> {
  return new Promise((resolve) => {
    const started = performance.now();
    const child = spawn(process.execPath, [path.join(root, 'dist/src/cli/import-progress.js'), file], {
      env: { PATH: process.env.PATH ?? '', DATABASE_URL: databaseUrl, LOG_LEVEL: 'warn', IMPORT_TIMINGS: process.env.IMPORT_TIMINGS ?? '' },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let output = '';
    child.stdout.on('data', (d: Buffer) => (output += d.toString()));
    child.stderr.on('data', (d: Buffer) => (output += d.toString()));
    child.on('exit', (code) => {
      if (process.env.IMPORT_TIMINGS === '1') process.stderr.write(output);
      const rss = /max RSS (\d+) MB/.exec(output)?.[1];
      resolve({ ms: performance.now() - started, code: code ?? 1, output: output.trim().split('\n').slice(-3).join(' | '), maxRssMb: rss ? Number(rss) : null });
    });
  });
}
