import { execFileSync, spawn, type ChildProcess } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { Client } from 'pg';
import { freePort } from '../src/db/free-port';

/*
 * `npm start` as a user runs it: the built server on its own embedded PostgreSQL, migrated and seeded
 * on first start, the data kept across restarts, and a clean stop on SIGTERM (no postgres left behind).
 */
const root = path.resolve(__dirname, '..');
let dataDir: string;
let port: number;
let pgPort: number;

function startServer(): Promise<{ proc: ChildProcess; output: () => string }> {
  const proc = spawn(process.execPath, [path.join(root, 'dist', 'src', 'main.js')], {
    cwd: root,
    env: { PATH: process.env.PATH, HOME: process.env.HOME, DATA_DIR: dataDir, PORT: String(port), EMBEDDED_PG_PORT: String(pgPort), LOG_LEVEL: 'warn' },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let out = '';
  proc.stdout!.on('data', (c) => (out += c));
  proc.stderr!.on('data', (c) => (out += c));
  return new Promise((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`server did not start:\n${out}`)), 90_000);
    proc.stdout!.on('data', () => {
      if (out.includes('ready at')) {
        clearTimeout(timer);
        resolve({ proc, output: () => out });
      }
    });
    proc.on('exit', (code) => reject(new Error(`server exited with ${code}:\n${out}`)));
  });
}

function stop(proc: ChildProcess): Promise<number | null> {
  return new Promise((resolve) => {
    proc.removeAllListeners('exit');
    proc.on('exit', (code) => resolve(code));
    proc.kill('SIGTERM');
  });
}

async function sql(text: string): Promise<Record<string, unknown>[]> {
  const c = new Client({ connectionString: `postgres://postgres:postgres@127.0.0.1:${pgPort}/app` });
  await c.connect();
  try {
    return (await c.query(text)).rows;
  } finally {
    await c.end();
  }
}

beforeAll(async () => {
  execFileSync(process.execPath, [path.join(root, 'node_modules', 'typescript', 'bin', 'tsc'), '-p', 'tsconfig.build.json'], { cwd: root });
  dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'vneid-start-'));
  fs.chmodSync(dataDir, 0o755);
  port = await freePort();
  pgPort = await freePort();
});
afterAll(() => fs.rmSync(dataDir, { recursive: true, force: true }));

it('starts on embedded PostgreSQL with demo data, keeps data across restarts, and stops cleanly', async () => {
  const first = await startServer();
  expect(first.output()).toMatch(/ready at http:\/\/localhost:\d+\/graphql/);
  expect((await fetch(`http://127.0.0.1:${port}/readyz`)).status).toBe(200);
  const [{ n }] = await sql(`select count(*)::int as n from admin_unit`);
  expect(n).toBeGreaterThan(2000);
  await sql(`insert into admin_unit (code, name, kind, level, path, valid_from, created_at, updated_at) values ('ZZ', 'Marker', 'tỉnh', 'PROVINCE', '0', '2020-01-01', now(), now())`);
  expect(await stop(first.proc)).toBe(0);
  expect(fs.existsSync(path.join(dataDir, 'pg', 'postmaster.pid'))).toBe(false);

  const second = await startServer();
  const [{ units, marker }] = await sql(`select count(*)::int as units, count(*) filter (where code = 'ZZ')::int as marker from admin_unit`);
  expect(marker).toBe(1);
  expect(units).toBe(Number(n) + 1); // demo data is not loaded twice
  expect(await stop(second.proc)).toBe(0);
  expect(fs.existsSync(path.join(dataDir, 'pg', 'postmaster.pid'))).toBe(false);
});

it('a CLI run while the server is up uses its embedded PostgreSQL and leaves it running', async () => {
  const server = await startServer();
  try {
    const csv = path.join(dataDir, 'units.csv');
    fs.writeFileSync(csv, 'province_code,province_name,province_type\n49,Tỉnh Quảng Nam,Tỉnh\n');
    const out = execFileSync(process.execPath, [path.join(root, 'dist', 'src', 'cli', 'import-units.js'), csv, '--dry-run'], {
      cwd: root,
      env: { PATH: process.env.PATH, HOME: process.env.HOME, DATA_DIR: dataDir, EMBEDDED_PG_PORT: String(pgPort), LOG_LEVEL: 'warn' },
      encoding: 'utf8',
    });
    expect(out).toMatch(/1 unchanged \(dry run\)/);
    // The server's database is still there: the CLI did not stop what it had not started.
    expect(fs.existsSync(path.join(dataDir, 'pg', 'postmaster.pid'))).toBe(true);
    expect((await fetch(`http://127.0.0.1:${port}/readyz`)).status).toBe(200);
    expect(await sql(`select count(*)::int as n from admin_unit where code = '49'`)).toEqual([{ n: 1 }]);
  } finally {
    expect(await stop(server.proc)).toBe(0);
  }
  expect(fs.existsSync(path.join(dataDir, 'pg', 'postmaster.pid'))).toBe(false);
});
