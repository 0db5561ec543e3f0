import { Client } from 'pg';
import { PIPELINE } from './fixtures';
import { processCpuMs } from './proc-cpu';

/*
 * The floor under scenario 5 (issue 13): what writing the rows of a 100,000-row append file costs PostgreSQL with
 * nothing else — no staging from a file, no checks, no rollups — in the sessions an import uses. Each session takes
 * its share of the hamlets, builds its rows in a temporary table (the next day after each series' last report, as
 * the bench's file is), then inserts them into progress_report and their first-value rows into progress_history in
 * one statement (what any import must store), inside a transaction it rolls back, so the database is left as it was.
 * Measured per session: wall time and the backend's CPU (/proc, user + system: PostgreSQL on this machine). Also
 * with the foreign-key triggers off (session_replication_role = replica; superuser), the part PostgreSQL's per-row
 * reference checks take.
 *
 *   npm run build && node dist/bench/import-floor.js postgres://…/db [rows] [sessions]
 * The database must hold the bench's data (e.g. one kept with BENCH_DATABASE_URL); its embedded server must run here.
 */
async function main(): Promise<void> {
  const url = process.argv[2];
  const rows = Number(process.argv[3] ?? 100_000);
  const sessions = Number(process.argv[4] ?? 2);
  if (!url) throw new Error('Usage: node dist/bench/import-floor.js DATABASE_URL [rows] [sessions]');
  for (const foreignKeys of [true, false]) {
    const started = performance.now();
    const results = await Promise.all(Array.from({ length: sessions }, (_, i) => session(url, rows, sessions, i, foreignKeys)));
    const wall = performance.now() - started;
    const cpu = results.reduce((s, r) => s + r.cpuMs, 0);
    const inserted = results.reduce((s, r) => s + r.rows, 0);
    console.log(
      `${foreignKeys ? 'with foreign keys   ' : 'without foreign keys'}: ${inserted} reports + history rows in ${Math.round(wall)} ms wall ` +
        `(insert statements ${results.map((r) => Math.round(r.insertMs)).join(' / ')} ms), backend CPU ${cpu} ms = ${((cpu * 1000) / inserted).toFixed(1)} µs per row`,
    );
  }
}

async function session(url: string, rows: number, sessions: number, index: number, foreignKeys: boolean) {
  const c = new Client({ connectionString: url });
  await c.connect();
  try {
    const pid = (await c.query<{ pid: number }>('select pg_backend_pid() as pid')).rows[0].pid;
    const metrics = PIPELINE.map((p) => `'${p.metric}'`).join(', ');
    await c.query('begin');
    await c.query(`create temp table floor_rows on commit drop as
      select s.unit_id, s.metric, s.as_of + 1 as as_of, s.value + 10 as value
        from (select h.id as unit_id, m.metric, l.as_of, l.value
                from admin_unit h cross join unnest(array[${metrics}]) as m(metric)
                cross join lateral (select r.as_of, r.value from progress_report r where r.unit_id = h.id and r.metric = m.metric order by r.as_of desc limit 1) l
               where h.level = 'HAMLET' and h.valid_to is null
               order by h.id, m.metric limit ${Math.trunc(rows)}) s
       where s.unit_id % ${Math.trunc(sessions)} = ${Math.trunc(index)}`);
    const n = (await c.query<{ n: number }>('select count(*)::int as n from floor_rows')).rows[0].n;
    if (!foreignKeys) await c.query('set local session_replication_role = replica');
    const cpu0 = processCpuMs(pid);
    const t0 = performance.now();
    await c.query(`with up as (
        insert into progress_report (unit_id, metric, as_of, value, reported_at)
        select unit_id, metric, as_of, value, now() from floor_rows order by unit_id, metric, as_of
        returning id, unit_id, metric, as_of, value)
      insert into progress_history (report_id, unit_id, metric, as_of, old_value, new_value) select id, unit_id, metric, as_of, null, value from up`);
    const insertMs = performance.now() - t0;
    const cpuMs = processCpuMs(pid) - cpu0;
    await c.query('rollback');
    return { rows: n, insertMs, cpuMs };
  } finally {
    await c.end();
  }
}

main().catch((e: unknown) => {
  console.error(e);
  process.exit(1);
});
