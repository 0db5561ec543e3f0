import 'reflect-metadata';
import { execFileSync } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { parseArgs, type BenchArgs } from './args';
import { openBenchDatabase, seedUnits, type BenchDatabase } from './database';
import { BENCH_PASSWORD, CAMPAIGN_NAME, NATIONAL_CAMPAIGN_NAME, loadCampaigns, loadPrincipals, loadProgressHistory } from './fixtures';
import { generateSigningKey, productionNodeArgs, startApiServer, type ApiServer } from './api-server';
import { gql, loginAll, schemaFields } from './graphql';
import { runLoad, type LoadEntry } from './load';
import { measureSqlFloor } from './sql-floor';
import { missingOf, readScenarios } from './read-scenarios';
import { deadlocks, loginEntries, reportEntries, runImportCli, verifyRollups, writeImportCsv } from './write-scenarios';
import { formatTable, machineInfo, writeJson, type BenchReport, type PeerInfo, type ScenarioResult } from './report';
import { figureDocuments } from './figure-documents';
import { measureDashboard } from './dashboards';
import { MAX_RSS_MB } from './goals';
import { locatePeerHarness, startPeer, type Peer } from './peer/peer';
import { REFORM_ID, REFORM_NAME, reformScenario } from './reform';
import { todayInVietnam } from '../src/common/scalars';

/**
 * npm run bench [-- --quick --days N --duration S --connections N --only LIST --no-peer --rounds N]
 * The national-scale benchmark: its own PostgreSQL and data, the API in production mode as a child process,
 * autocannon in another, beside every read figure the SQL floor (one hand-written statement), and beside the
 * dashboards (scenarios 1 and 2) the PostGraphile 5 peer on the same data size, in alternating rounds.
 * Scenario 10 (the July 2025 reform on the official lists) has its own database in the same cluster.
 */
const ROOT = path.resolve(__dirname, '..', '..');
const IMPORT_ROWS = 100_000;
/** The bounded-memory import (scenario 9). */
const BIG_IMPORT_ROWS = 1_000_000;
/** Hamlet officers of the one-province scenario (8). */
const HOT_WRITERS = 50;
const API_POOL = 10; // DB_POOL_MAX default of the API
const PEER_PROVINCE = 'P07'; // the province the peer's S2 drills into (as the side-by-side harness)
/** Synthetic hamlets per commune of the official 2024 list in scenario 10 (issue 16: 9; 2 with --quick). */
const REFORM_HAMLETS = 9;
const REFORM_HAMLETS_QUICK = 2;

const addDays = (day: string, n: number): string => new Date(Date.parse(`${day}T00:00:00Z`) + n * 86_400_000).toISOString().slice(0, 10);
const log = (m: string) => console.error(`[bench] ${m}`);

/** What scenarios 1–9 add to the report: their data, settings, peer and setup time. */
interface SyntheticRun {
  data: Record<string, unknown>;
  settings: Record<string, unknown>;
  peer: PeerInfo;
  setupSeconds: number;
}

/**
 * Scenarios 1–9 on the synthetic national tree (seedNationalUnits, campaigns, history, principals), with their
 * servers and the peer, all stopped before it returns. Appends to `results`.
 */
async function syntheticScenarios(args: BenchArgs, db: BenchDatabase, key: string, nodeArgs: string[], results: ScenarioResult[], t0: number): Promise<SyntheticRun> {
  const wanted = (id: number) => args.only.length === 0 || args.only.includes(id);
  let api: ApiServer | undefined;
  let probe: ApiServer | undefined;
  let peerStarting: Promise<Peer | Error> | null = null;
  let peer: Peer | null = null;
  let peerInfo: PeerInfo = { status: 'skipped', note: '--no-peer' };
  try {
    // ---- data -------------------------------------------------------------------------------------------------
    const units = await seedUnits(db.url, args.scale, log);
    log(`units: ${units.provinces} provinces, ${units.districts} districts, ${units.communes} communes, ${units.hamlets} hamlets (${units.ms} ms)`);
    // The peer installs and loads the same shape while our history loads (setup time only; nothing is measured yet).
    const peerStartedAt = performance.now();
    if (args.peer && (wanted(1) || wanted(2))) {
      const harness = locatePeerHarness(ROOT);
      if (!harness.dir) {
        peerInfo = { status: 'skipped', note: `no PostGraphile harness at ${harness.looked.join(' nor ')}` };
        log(`peer: ${peerInfo.note}; scenarios 1 and 2 run without it`);
      } else {
        const shape = { districts: units.districts / units.provinces, communes: units.communes / units.districts, hamlets: units.hamlets / units.communes };
        if (!Object.values(shape).every(Number.isInteger)) throw new Error(`the national tree is not uniform (${JSON.stringify(units)}): the peer cannot copy its shape`);
        log(`peer: copying ${harness.dir} to a scratch folder and installing it (npm ci) …`);
        peerStarting = startPeer({ source: harness.dir, shape, province: PEER_PROVINCE, log }).catch((e: unknown) => (e instanceof Error ? e : new Error(String(e))));
      }
    } else if (args.peer) peerInfo = { status: 'skipped', note: 'scenarios 1 and 2 not run' };
    const today = todayInVietnam();
    // History ends before the days the import scenarios append (100,000 rows, then 1,000,000); the reporting
    // scenarios report today.
    const importDays = Math.max(1, Math.ceil(IMPORT_ROWS / (units.hamlets * 3)));
    const bigImportDays = Math.max(1, Math.ceil(BIG_IMPORT_ROWS / (units.hamlets * 3)));
    const historyLast = addDays(today, -importDays - bigImportDays - 1);
    const historyFirst = addDays(historyLast, -args.days + 1);
    const campaigns = await loadCampaigns(db.pool, historyFirst);
    log(`campaigns: ${campaigns.campaigns} (one per province), quotas: ${campaigns.quotas}`);
    const progress = await loadProgressHistory(db.pool, historyLast, args.days);
    log(progress ? `progress history: ${progress.reports} reports, ${progress.rollupRows} rollup rows (${progress.ms} ms)` : 'progress history: skipped (no progress_report table: progress reporting not merged)');
    // Each login costs one scrypt (~0.1 s of CPU here): enough distinct hamlets for 50 writers, not more.
    const hamletCount = args.quick ? 100 : 300;
    const principals = await loadPrincipals(db.pool, hamletCount, wanted(8) ? HOT_WRITERS : 0);

    // ---- servers ----------------------------------------------------------------------------------------------
    api = await startApiServer({ root: ROOT, databaseUrl: db.url, privateKeyPem: key, mode: 'production', nodeArgs, log });
    probe = await startApiServer({ root: ROOT, databaseUrl: db.url, privateKeyPem: key, mode: 'development', log });
    const fields = await schemaFields(probe.url);
    const t = performance.now();
    const [national, province, commune] = await loginAll(api.url, [principals.national.username, principals.province.username, principals.commune.username], BENCH_PASSWORD);
    const hamletTokens = await loginAll(api.url, principals.hamlets.map((h) => h.username), BENCH_PASSWORD, 4);
    const hotTokens = await loginAll(api.url, principals.hot.map((h) => h.username), BENCH_PASSWORD, 4);
    log(`signed in ${3 + hamletTokens.length} principals through login (${Math.round(performance.now() - t)} ms)`);
    const [{ id: provinceCampaignId }] = (
      await db.pool.query<{ id: number }>(`select c.id from campaign c join admin_unit u on u.id = c.scope_unit_id where c.name = $1 and u.code = $2`, [CAMPAIGN_NAME, principals.province.unitCode])
    ).rows;
    const [{ id: nationalCampaignId }] = (
      await db.pool.query<{ id: number }>(`select id from campaign where name = $1 and scope_unit_id is null`, [NATIONAL_CAMPAIGN_NAME])
    ).rows;

    const sqlCount = async (entry: LoadEntry): Promise<number | null> => {
      const r = await gql(probe!.url, entry.body.replaceAll('__N__', '900000'), entry.token);
      if (r.errors?.length) log(`probe error: ${JSON.stringify(r.errors[0])}`);
      return r.extensions?.sqlStatements ?? null;
    };
    const load = async (entries: LoadEntry[], connections: number, counterStart = 0) => {
      api!.resetRss();
      const r = await runLoad({ url: api!.url, connections, duration: args.duration, warmup: args.warmup, entries, counterStart, serverPid: api!.pid, dbPid: db.postmasterPid });
      return { r, rss: api!.maxRssMb() };
    };

    // Nothing is measured while the peer still installs or seeds: wait for it here.
    if (peerStarting) {
      const started = await peerStarting;
      peerStarting = null;
      if (started instanceof Error) {
        peerInfo = { status: 'failed', note: started.message.slice(0, 2000) };
        log(`peer: failed to start, scenarios 1 and 2 run without it: ${started.message}`);
      } else {
        peer = started;
        peerInfo = { status: 'ran', postgraphile: peer.postgraphile, node: peer.node, postgresql: peer.postgresql, data: peer.data, setupSeconds: Math.round((performance.now() - peerStartedAt) / 1000) };
        log(`peer: PostGraphile ${peer.postgraphile} on Node ${peer.node} at ${peer.url} (pid ${peer.serverPid}); its answers equal its SQL floor documents`);
      }
    }

    const setupSeconds = (performance.now() - t0) / 1000;

    // ---- 5 and 9. bulk imports (first, so the days they append lie before today's reports) ------------------------
    const cli = path.join(ROOT, 'dist/src/cli/import-progress.js');
    const importFile = async (id: number, name: string, rows: number, firstDay: string, days: number, dayOffset: number) => {
      if (!fs.existsSync(cli) || !progress) {
        results.push({ id, name, status: 'skipped', note: 'not available: npm run import:progress (src/cli/import-progress.ts)' });
        return null;
      }
      const file = await writeImportCsv(db.pool, { rows, historyDays: args.days, firstDay, dayOffset, days });
      const lines = Number(execFileSync('wc', ['-l', file]).toString().trim().split(/\s+/)[0]) - 1;
      log(`scenario ${id}: importing ${lines} rows from ${file}`);
      const before = await deadlocks(db.pool);
      const r = await runImportCli(ROOT, db.url, file);
      fs.rmSync(path.dirname(file), { recursive: true, force: true });
      return { r, lines, perSecond: lines / (r.ms / 1000), deadlocks: (await deadlocks(db.pool)) - before };
    };
    if (wanted(5)) {
      const x = await importFile(5, 'bulk import (CLI)', IMPORT_ROWS, addDays(historyLast, 1), importDays, 0);
      if (x) {
        const { r, lines, perSecond } = x;
        results.push({
          id: 5, name: 'bulk import (CLI)', status: r.code === 0 ? 'ran' : 'failed', note: r.code === 0 ? undefined : r.output,
          perSecond, unit: 'rows/s', total: lines, errors: r.code === 0 ? 0 : 1, maxRssMb: r.maxRssMb ?? undefined,
          goal: { text: '≥ 50,000 rows/s end to end', pass: r.code === 0 && perSecond >= 50_000 },
          extra: { wallSeconds: Math.round(r.ms / 100) / 10, cli: r.output },
        });
      }
    }
    if (wanted(9)) {
      const x = await importFile(9, 'import 1M rows (CLI)', BIG_IMPORT_ROWS, addDays(historyLast, importDays + 1), bigImportDays, importDays);
      if (x) {
        const { r, lines, perSecond } = x;
        log('scenario 9: recomputing every rollup from the raw reports…');
        const check = r.code === 0 ? await verifyRollups(db.pool) : null;
        const rss = r.maxRssMb ?? Infinity;
        results.push({
          id: 9, name: 'import 1M rows (CLI)', status: r.code === 0 ? 'ran' : 'failed', note: r.code === 0 ? undefined : r.output,
          perSecond, unit: 'rows/s', total: lines, errors: r.code === 0 ? 0 : 1, maxRssMb: r.maxRssMb ?? undefined,
          goal: { text: `CLI RSS ≤ 300 MB, rollups exact (${check?.exact ? 'exact' : 'NOT exact'})`, pass: r.code === 0 && rss <= 300 && !!check?.exact },
          extra: { wallSeconds: Math.round(r.ms / 100) / 10, cli: r.output, rollupCheck: check },
        });
      }
    }

    // ---- 1–3. reads, each with its SQL floor ------------------------------------------------------------------
    const readContext = {
      fields, today, seriesFrom: addDays(today, -29), provinceCode: principals.province.unitCode, communeCode: principals.commune.unitCode,
      provinceCampaignId, nationalCampaignId, tokens: { national, province, commune },
    };
    const reads = readScenarios(readContext);
    const figures = figureDocuments(readContext);
    const readable: LoadEntry[] = [];
    for (const s of reads) {
      if (!wanted(s.id) && !wanted(7)) continue;
      const missing = missingOf(fields, s.requires);
      if (missing.length) {
        if (wanted(s.id)) results.push({ id: s.id, name: s.name, status: 'skipped', note: `not available: ${missing.join(', ')}` });
        continue;
      }
      readable.push(...s.entries);
      if (!wanted(s.id)) continue;
      const without = missingOf(fields, s.optional);
      log(`scenario ${s.id} ${s.name}${without.length ? ` (without ${without.join(', ')})` : ''}`);
      if (s.id === 1 || s.id === 2) {
        const fig = figures.find((d) => d.id === s.id && missingOf(fields, d.requires).length === 0) ?? null;
        const r = await measureDashboard({ ...s, id: s.id }, fig, { args, dbUrl: db.url, api, peer, apiDbPool: API_POOL, sqlCount, log });
        if (without.length) r.note = `without ${without.join(', ')}`;
        results.push(r);
        continue;
      }
      const sqlStatements = await sqlCount(s.entries[0]);
      const { r, rss } = await load(s.entries, args.connections);
      const floor = await measureSqlFloor(db.url, s.floor.sql, s.floor.params, { seconds: args.duration, concurrency: args.connections, poolSize: API_POOL });
      results.push({
        id: s.id, name: s.name, status: 'ran', note: without.length ? `without ${without.join(', ')}` : undefined, connections: args.connections,
        perSecond: r.requestsPerSecond, total: r.total, p50: r.p50, p90: r.p90, p99: r.p99, errors: r.errors, errorSample: r.errorSample,
        sqlStatements, cpuMsPerRequest: r.cpuMsPerRequest, dbCpuMsPerRequest: r.dbCpuMsPerRequest, maxRssMb: rss, floor, ratio: floor.p50 > 0 ? r.p50 / floor.p50 : undefined,
      });
    }
    // The rest runs without the peer: free its memory and CPU.
    await peer?.stop();

    // ---- 4. reporting from many hamlet officers, then the exactness check --------------------------------------
    const hamlets = principals.hamlets.map((h, i) => ({ unitId: h.unitId, token: hamletTokens[i] }));
    let counter = 1_000_000;
    if (wanted(4)) {
      const missing = missingOf(fields, ['Mutation.reportProgress']);
      if (missing.length) results.push({ id: 4, name: 'reporting', status: 'skipped', note: `not available: ${missing.join(', ')}` });
      else {
        const entries = reportEntries(hamlets, today);
        const sqlStatements = await sqlCount(entries[entries.length - 1]);
        const before = await deadlocks(db.pool);
        const { r, rss } = await load(entries, 50, counter);
        counter = r.nextCounter;
        const retriedDeadlocks = (await deadlocks(db.pool)) - before;
        log('scenario 4: recomputing every rollup from the raw reports…');
        const check = await verifyRollups(db.pool);
        results.push({
          id: 4, name: 'reporting', status: 'ran', connections: 50, perSecond: r.requestsPerSecond, unit: 'writes/s', total: r.total,
          p50: r.p50, p90: r.p90, p99: r.p99, errors: r.errors, errorSample: r.errorSample, sqlStatements, cpuMsPerRequest: r.cpuMsPerRequest, dbCpuMsPerRequest: r.dbCpuMsPerRequest, maxRssMb: rss,
          goal: {
            text: `≥ 500 writes/s, p99 ≤ 250 ms, rollups exact (${check.exact ? 'exact' : 'NOT exact'})`,
            pass: r.requestsPerSecond >= 500 && r.p99 <= 250 && check.exact && r.errors === 0,
          },
          extra: { rollupCheck: check, distinctHamlets: hamlets.length, deadlocksRetriedInDatabase: retriedDeadlocks },
        });
      }
    }

    // ---- 8. reporting inside one province: every write touches the same province and district rows --------------
    if (wanted(8)) {
      const missing = missingOf(fields, ['Mutation.reportProgress']);
      if (missing.length || principals.hot.length === 0) results.push({ id: 8, name: 'reporting, one province', status: 'skipped', note: `not available: ${missing.join(', ') || 'hamlets'}` });
      else {
        const hot = principals.hot.map((h, i) => ({ unitId: h.unitId, token: hotTokens[i] }));
        // As many connections as hamlets at most, so no hamlet has two reports in flight (their values rise).
        const connections = Math.min(50, hot.length);
        const before = await deadlocks(db.pool);
        const { r, rss } = await load(reportEntries(hot, today), connections, counter);
        counter = r.nextCounter;
        const retriedDeadlocks = (await deadlocks(db.pool)) - before;
        const check = await verifyRollups(db.pool);
        results.push({
          id: 8, name: 'reporting, one province', status: 'ran', connections, perSecond: r.requestsPerSecond, unit: 'writes/s', total: r.total,
          p50: r.p50, p90: r.p90, p99: r.p99, errors: r.errors, errorSample: r.errorSample, cpuMsPerRequest: r.cpuMsPerRequest, dbCpuMsPerRequest: r.dbCpuMsPerRequest, maxRssMb: rss,
          goal: {
            text: `≥ 300 writes/s, 0 deadlocks surfaced, rollups exact (${check.exact ? 'exact' : 'NOT exact'})`,
            pass: r.requestsPerSecond >= 300 && r.errors === 0 && check.exact,
          },
          extra: { firstHamlet: principals.hot[0].unitCode, hamlets: hot.length, deadlocksRetriedInDatabase: retriedDeadlocks, rollupCheck: check },
        });
      }
    }

    // ---- 6. logins ---------------------------------------------------------------------------------------------
    if (wanted(6)) {
      const entries = loginEntries(principals.hamlets.map((h) => h.username), BENCH_PASSWORD);
      const sqlStatements = await sqlCount(entries[0]);
      // scrypt runs in libuv's 4 threads: more connections only queue (and a warm-up backlog would eat the run).
      const connections = Math.min(args.connections, 8);
      const { r, rss } = await load(entries, connections);
      results.push({
        id: 6, name: 'logins', status: 'ran', connections, perSecond: r.requestsPerSecond, unit: 'logins/s', total: r.total,
        p50: r.p50, p90: r.p90, p99: r.p99, errors: r.errors, errorSample: r.errorSample, sqlStatements, cpuMsPerRequest: r.cpuMsPerRequest, dbCpuMsPerRequest: r.dbCpuMsPerRequest, maxRssMb: rss,
      });
    }

    // ---- 7. mixed: 90 % reads (scenarios 1–3 in turn), 10 % reports ----------------------------------------------
    if (wanted(7)) {
      const missing = [...(readable.length ? [] : ['Unit.progress']), ...missingOf(fields, ['Mutation.reportProgress'])];
      if (missing.length) results.push({ id: 7, name: 'mixed 90/10', status: 'skipped', note: `not available: ${missing.join(', ')}` });
      else {
        const writes = reportEntries(hamlets, today);
        const entries: LoadEntry[] = [];
        for (let i = 0; i < writes.length * 10; i++) entries.push(i % 10 === 9 ? writes[Math.floor(i / 10)] : readable[i % readable.length]);
        const { r, rss } = await load(entries, args.connections, counter + 1_000_000);
        const check = await verifyRollups(db.pool);
        results.push({
          id: 7, name: 'mixed 90/10', status: 'ran', connections: args.connections, perSecond: r.requestsPerSecond, total: r.total,
          p50: r.p50, p90: r.p90, p99: r.p99, errors: r.errors, errorSample: r.errorSample, cpuMsPerRequest: r.cpuMsPerRequest, dbCpuMsPerRequest: r.dbCpuMsPerRequest, maxRssMb: rss,
          extra: { rollupsExactAfter: check.exact, reads: `${readable.length} shapes`, writesShare: 0.1 },
        });
      }
    }

    const [{ reports }] = progress ? (await db.pool.query<{ reports: number }>('select count(*)::int as reports from progress_report')).rows : [{ reports: 0 }];
    return {
      settings: { importRows: IMPORT_ROWS, bigImportRows: BIG_IMPORT_ROWS, hotWriters: HOT_WRITERS, apiDbPool: API_POOL, reportingConnections: 50, hamletOfficers: hamlets.length },
      data: {
        units: units.provinces + units.districts + units.communes + units.hamlets, ...units, campaigns: campaigns.campaigns, quotas: campaigns.quotas,
        historyDays: args.days, historyFrom: historyFirst, historyTo: historyLast, reportsLoaded: progress?.reports ?? 0, reportsAtEnd: reports,
        rollupChangeRowsLoaded: progress?.rollupRows ?? 0, missingFields: ['Unit.progress', 'Unit.series', 'Unit.reasons', 'Unit.teams', 'Unit.teamCoverage', 'Unit.campaignProgress', 'Unit.rankedChildren', 'Mutation.reportProgress'].filter((x) => !fields.has(x)),
      },
      peer: peerInfo,
      setupSeconds,
    };
  } finally {
    // A peer still installing when something failed is stopped once it is up.
    const pending = await peerStarting;
    if (pending && !(pending instanceof Error)) await pending.stop().catch(() => {});
    await peer?.stop().catch(() => {});
    await probe?.stop().catch(() => {});
    await api?.stop().catch(() => {});
  }
}

async function main(): Promise<void> {
  const args = parseArgs(process.argv.slice(2));
  const t0 = performance.now();
  const startedAt = new Date().toISOString();
  const wanted = (id: number) => args.only.length === 0 || args.only.includes(id);
  const db = await openBenchDatabase(log);
  try {
    const postgres = (await db.pool.query<{ v: string }>("select current_setting('server_version') as v")).rows[0].v;
    const key = generateSigningKey();
    const nodeArgs = productionNodeArgs(ROOT);
    const results: ScenarioResult[] = [];
    // Scenarios 1–9 share the synthetic national tree; `--only 10` does not build it.
    const synthetic = args.only.length === 0 || args.only.some((id) => id !== REFORM_ID) ? await syntheticScenarios(args, db, key, nodeArgs, results, t0) : null;
    const setupSeconds = synthetic?.setupSeconds ?? (performance.now() - t0) / 1000;

    // ---- 10. the July 2025 reform on the official lists, in its own database ------------------------------------
    const reformHamlets = args.quick ? REFORM_HAMLETS_QUICK : REFORM_HAMLETS;
    if (wanted(REFORM_ID)) {
      log(`scenario ${REFORM_ID} ${REFORM_NAME}`);
      try {
        results.push(await reformScenario({ mainUrl: db.url, mainPool: db.pool, root: ROOT, privateKeyPem: key, nodeArgs, hamletsPerCommune: reformHamlets, days: args.days, log }));
      } catch (e) {
        log(`scenario ${REFORM_ID} failed: ${(e as Error)?.stack ?? String(e)}`);
        results.push({ id: REFORM_ID, name: REFORM_NAME, status: 'failed', note: String((e as Error)?.message ?? e).slice(0, 2000) });
      }
    }

    results.sort((a, b) => a.id - b.id);
    const maxRss = Math.max(0, ...results.map((s) => s.maxRssMb ?? 0));
    const report: BenchReport = {
      startedAt,
      command: `${process.env.BENCH_RESPONSE_CACHE_MB ? `BENCH_RESPONSE_CACHE_MB=${process.env.BENCH_RESPONSE_CACHE_MB} ` : ''}npm run bench -- ${process.argv.slice(2).join(' ')}`.trim(),
      machine: machineInfo(postgres),
      settings: {
        ...args, ...synthetic?.settings, reformHamletsPerCommune: wanted(REFORM_ID) ? reformHamlets : undefined,
        responseCacheMb: process.env.BENCH_RESPONSE_CACHE_MB ?? 'default',
      },
      data: synthetic?.data ?? {},
      peer: synthetic?.peer ?? { status: 'skipped', note: args.peer ? 'scenarios 1 and 2 not run' : '--no-peer' },
      scenarios: results,
      memory: { maxRssMb: maxRss, goal: { text: `≤ ${MAX_RSS_MB} MB in every scenario`, pass: maxRss <= MAX_RSS_MB } },
      setupSeconds: Math.round(setupSeconds),
      totalSeconds: Math.round((performance.now() - t0) / 1000),
    };
    console.log(formatTable(report));
    console.log(`\nresults: ${path.relative(process.cwd(), writeJson(ROOT, report))} (setup ${report.setupSeconds} s, total ${report.totalSeconds} s)`);
  } finally {
    await db.close();
  }
}

main().catch((e: unknown) => {
  const cause = (e as { cause?: unknown })?.cause;
  if (cause instanceof Error) console.error(`[bench] cause: ${cause.message}`);
  console.error(`[bench] failed: ${(e as Error)?.stack ?? String(e)}`);
  process.exit(1);
});
