import fs from 'node:fs';
import path from 'node:path';
import { Client, Pool } from 'pg';
import { startEmbeddedPostgres } from '../src/db/embedded';
import { freePort } from '../src/db/free-port';
import { openOrm, migrate } from '../src/db/orm';
import { addDays } from '../src/common/dates';
import { seedUnits } from './database';
import { loadCampaigns, loadPrincipals, loadProgressHistory, PIPELINE } from './fixtures';
import { verifyRollups } from './write-scenarios';
import { processCpuMs } from './proc-cpu';

/*
 * PostgreSQL's own cost of one reportProgress (issue 13), measured deterministically rather than by throughput:
 * the quick bench data (scale 0.3, 30 days of history) in an embedded cluster kept in PROFILE_DIR between runs,
 * then rounds of progress_report_write calls made one after another on one connection, as scenario 4 makes them
 * (three pipeline metrics of a hamlet for one day, with a correction reason; the first round of a day inserts,
 * later rounds raise). Reported per call: the backend's CPU time (/proc, user + system), the wall time, and
 * pg_stat_statements (track = all) for the statements inside the function.
 *
 *   npm run build && node dist/bench/writer-profile.js [rounds] [hamlets]
 *   PROFILE_DIR (default /tmp/vneid-writer-profile): where the cluster lives; delete it to start over.
 *   PROFILE_SQL=file: run that SQL first (to try a change before it is a migration).
 *   PROFILE_CONCURRENCY=N [PROFILE_SECONDS=S]: then N connections writing at once, for the throughput of the function alone.
 *   PROFILE_EXPLAIN=1: also log the plans of one call's nested statements (auto_explain) to stdout.
 */
const log = (m: string) => console.log(m);

async function main(): Promise<void> {
  const rounds = Number(process.argv[2] ?? 5);
  const hamletCount = Number(process.argv[3] ?? 100);
  const dir = process.env.PROFILE_DIR ?? '/tmp/vneid-writer-profile';
  fs.mkdirSync(dir, { recursive: true });
  fs.chmodSync(dir, 0o755);
  const portFile = path.join(dir, 'port');
  const port = fs.existsSync(portFile) ? Number(fs.readFileSync(portFile, 'utf8')) : await freePort();
  fs.writeFileSync(portFile, String(port));
  const pg = await startEmbeddedPostgres(path.join(dir, 'pg'), port, () => {}, {
    settings: { shared_preload_libraries: 'pg_stat_statements', 'pg_stat_statements.track': 'all', 'pg_stat_statements.track_planning': 'on', max_connections: 20, fsync: 'on' },
  });
  try {
    const orm = await openOrm(pg.url, 2);
    try {
      const applied = await migrate(orm);
      if (applied.length) log(`migrations applied: ${applied.join(', ')}`);
    } finally {
      await orm.close(true);
    }
    const pool = new Pool({ connectionString: pg.url, max: 4 });
    try {
      const loaded = (await pool.query<{ n: number }>(`select count(*)::int as n from principal where username like 'bench.hamlet.%'`)).rows[0].n > 0;
      if (!loaded) {
        log('loading the quick bench data (scale 0.3, 30 days)…');
        await seedUnits(pg.url, 0.3, () => {});
        const historyLast = addDays(new Date().toISOString().slice(0, 10), -40);
        await loadCampaigns(pool, addDays(historyLast, -29));
        await loadProgressHistory(pool, historyLast, 30);
        await loadPrincipals(pool, 100, 50);
      }
      await pool.query('create extension if not exists pg_stat_statements');
      if (process.env.PROFILE_SQL) await pool.query(fs.readFileSync(process.env.PROFILE_SQL, 'utf8')); // an experiment, before it is a migration
      const hamlets = (
        await pool.query<{ unit_id: number; principal_id: number }>(
          `select g.unit_id, p.id as principal_id from principal p join "grant" g on g.principal_id = p.id
            where p.username like 'bench.hamlet.%' order by p.id limit $1`,
          [hamletCount],
        )
      ).rows;
      // A day after every stored report, so every run starts with inserts (a run's later rounds raise them).
      const [{ day, top }] = (await pool.query<{ day: string; top: string }>(`select to_char(max(as_of) + 1, 'YYYY-MM-DD') as day, (max(value) + 1)::text as top from progress_report`)).rows;
      const metrics = `{${PIPELINE.map((p) => p.metric).join(',')}}`;

      const c = new Client({ connectionString: pg.url });
      await c.connect();
      try {
        const [{ pid, catalogue }] = (await c.query<{ pid: number; catalogue: string }>(`select pg_backend_pid() as pid, (select version from metric_catalogue)::text as catalogue`)).rows;
        const cpu = (): number => processCpuMs(pid);
        const write = (unit: number, principal: number, value: number) =>
          c.query<{ problem: string | null; notify?: string | null }>(`select * from progress_report_write($1::int, $2::date, $3::text[], $4::bigint[], null, 'profile', $5::int, 'profile', $6::bigint)`, [
            unit, day, metrics, `{${value},${value},${value}}`, principal, catalogue,
          ]);
        let value = Number(top);
        // Warm the backend's caches and plans on other hamlets' day before (not counted).
        for (const h of hamlets.slice(0, 10)) await write(h.unit_id, h.principal_id, value++).catch(() => {});
        await c.query('select pg_stat_statements_reset()');
        const perRound: { round: number; cpuMs: number; wallMs: number }[] = [];
        for (let r = 1; r <= rounds; r++) {
          const c0 = cpu();
          const t0 = performance.now();
          for (const h of hamlets) {
            const res = await write(h.unit_id, h.principal_id, value++);
            if (res.rows[0]?.problem) throw new Error(`refused: ${res.rows[0].problem}`);
            const notify = res.rows[0]?.notify; // as reportProgress does: the notices sent after the commit
            if (notify?.length) await c.query(`select pg_notify('vneid_unit_figures', p) from unnest($1::text[]) as p`, [notify]);
          }
          perRound.push({ round: r, cpuMs: (cpu() - c0) / hamlets.length, wallMs: (performance.now() - t0) / hamlets.length });
        }
        for (const p of perRound) log(`round ${p.round} (${p.round === 1 ? 'insert' : 'raise'}): backend CPU ${p.cpuMs.toFixed(2)} ms/call, wall ${p.wallMs.toFixed(2)} ms/call`);
        const later = perRound.slice(1);
        if (later.length) log(`raise rounds: backend CPU ${(later.reduce((s, p) => s + p.cpuMs, 0) / later.length).toFixed(2)} ms/call, wall ${(later.reduce((s, p) => s + p.wallMs, 0) / later.length).toFixed(2)} ms/call`);
        const calls = rounds * hamlets.length;
        const stats = (
          await pool.query<{ query: string; calls: string; total: number; plan: number; per_call: number; rows: string }>(
            `select regexp_replace(left(query, 140), '\\s+', ' ', 'g') as query, calls::text, total_exec_time as total, total_plan_time as plan,
                    (total_exec_time + total_plan_time) / $1 as per_call, rows::text
               from pg_stat_statements where dbid = (select oid from pg_database where datname = current_database())
              order by total_exec_time + total_plan_time desc limit 25`,
            [calls],
          )
        ).rows;
        log(`\npg_stat_statements over ${calls} calls (ms per reportProgress call; nested statements are also inside their caller's figure):`);
        for (const s of stats) log(`${s.per_call.toFixed(3).padStart(8)}  calls ${s.calls.padStart(6)}  plan ${(s.plan / calls).toFixed(3)}  ${s.query}`);
        if (process.env.PROFILE_EXPLAIN) {
          await c.query(`load 'auto_explain'`);
          await c.query(`set auto_explain.log_min_duration = 0; set auto_explain.log_nested_statements = on; set auto_explain.log_analyze = on; set auto_explain.log_buffers = on; set client_min_messages = log; set auto_explain.log_level = notice`);
          c.on('notice', (n) => log(`${n.message}\n`));
          await write(hamlets[0].unit_id, hamlets[0].principal_id, value++);
          await c.query(`set auto_explain.log_min_duration = -1`);
        }
      } finally {
        await c.end();
      }
      const concurrency = Number(process.env.PROFILE_CONCURRENCY ?? 0);
      if (concurrency > 0) {
        // Throughput of the function alone (no API): `concurrency` connections, each writing its own hamlets in turn.
        const seconds = Number(process.env.PROFILE_SECONDS ?? 5);
        const clients = await Promise.all(Array.from({ length: concurrency }, async () => {
          const k = new Client({ connectionString: pg.url });
          await k.connect();
          const [{ pid }] = (await k.query<{ pid: number }>('select pg_backend_pid() as pid')).rows;
          return { k, pid };
        }));
        const cpuOf = processCpuMs;
        const [{ catalogue }] = (await pool.query<{ catalogue: string }>(`select version::text as catalogue from metric_catalogue`)).rows;
        const [{ day, top }] = (await pool.query<{ day: string; top: string }>(`select to_char(max(as_of), 'YYYY-MM-DD') as day, (max(value) + 1)::text as top from progress_report`)).rows;
        let value = Number(top);
        let done = 0;
        const c0 = clients.reduce((s, x) => s + cpuOf(x.pid), 0);
        const t0 = performance.now();
        const end = t0 + seconds * 1000;
        await Promise.all(clients.map(async ({ k }, j) => {
          for (let n = 0; performance.now() < end; n++) {
            const h = hamlets[(j + n * concurrency) % hamlets.length];
            // Each connection owns the hamlets j, j + concurrency, …: no two writes of one hamlet at once.
            if (hamlets.length % concurrency !== 0 && (j + n * concurrency) % hamlets.length < j) continue;
            const v = value++;
            const res = await k.query<{ notify?: string | null }>(
              `select * from progress_report_write($1::int, $2::date, $3::text[], $4::bigint[], null, 'profile', $5::int, 'profile', $6::bigint)`,
              [h.unit_id, day, `{${PIPELINE.map((p) => p.metric).join(',')}}`, `{${v},${v},${v}}`, h.principal_id, catalogue],
            );
            // As reportProgress does: the live-figures notices the write returns, sent after its commit.
            const notify = res.rows[0]?.notify;
            if (notify?.length) await k.query(`select pg_notify('vneid_unit_figures', p) from unnest($1::text[]) as p`, [notify]);
            done++;
          }
        }));
        const secs = (performance.now() - t0) / 1000;
        const cpuMs = clients.reduce((s, x) => s + cpuOf(x.pid), 0) - c0;
        log(`\n${concurrency} connections, ${secs.toFixed(1)} s: ${(done / secs).toFixed(0)} writes/s, backend CPU ${(cpuMs / done).toFixed(2)} ms/write`);
        await Promise.all(clients.map(({ k }) => k.end()));
      }
      if (process.env.PROFILE_VERIFY) log(`rollups: ${JSON.stringify(await verifyRollups(pool))}`);
    } finally {
      await pool.end();
    }
  } finally {
    if (!process.env.PROFILE_KEEP) await pg.stop();
  }
}

main().catch((e) => {
  console.error(e);
  process.exit(1);
});
