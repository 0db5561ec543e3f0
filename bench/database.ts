import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { Pool } from 'pg';
import type { EntityManager } from '@mikro-orm/postgresql';
import { startEmbeddedPostgres } from '../src/db/embedded';
import { freePort } from '../src/db/free-port';
import { openOrm, migrate } from '../src/db/orm';
import { seedNationalUnits, type NationalSeedResult } from '../seeds/national-units';

export interface BenchDatabase {
  url: string;
  pool: Pool;
  /** Where the embedded cluster lives (undefined with BENCH_DATABASE_URL). */
  dir?: string;
  /** The embedded cluster's postmaster (its backends are its children): PostgreSQL's CPU per request. */
  postmasterPid?: number;
  close(): Promise<void>;
}

/** A temporary embedded PostgreSQL (or BENCH_DATABASE_URL), migrated. */
export async function openBenchDatabase(log: (m: string) => void): Promise<BenchDatabase> {
  let url = process.env.BENCH_DATABASE_URL;
  let stopEmbedded: (() => Promise<void>) | undefined;
  let dir: string | undefined;
  let postmasterPid: number | undefined;
  if (!url) {
    dir = fs.mkdtempSync(path.join(os.tmpdir(), 'vneid-bench-'));
    fs.chmodSync(dir, 0o755); // as root, the unprivileged postgres user must reach the data folder
    const port = await freePort();
    log(`embedded PostgreSQL in ${dir} on port ${port}`);
    const pg = await startEmbeddedPostgres(path.join(dir, 'pg'), port, (m) => log(m));
    url = pg.url;
    stopEmbedded = pg.stop;
    postmasterPid = Number(fs.readFileSync(path.join(pg.clusterDir, 'postmaster.pid'), 'utf8').split('\n')[0]) || undefined;
  }
  const orm = await openOrm(url, 2);
  try {
    const applied = await migrate(orm);
    log(`migrations applied: ${applied.length}`);
  } finally {
    await orm.close(true);
  }
  const pool = new Pool({ connectionString: url, max: 64 });
  return {
    url,
    pool,
    dir,
    postmasterPid,
    async close() {
      await pool.end().catch(() => {});
      await stopEmbedded?.().catch(() => {});
      if (dir) fs.rmSync(dir, { recursive: true, force: true });
    },
  };
}

export async function seedUnits(url: string, scale: number, log: (m: string) => void): Promise<NationalSeedResult> {
  const orm = await openOrm(url, 2);
  try {
    const em = orm.em.fork() as EntityManager;
    return await em.transactional((tx) => seedNationalUnits(tx as EntityManager, { scale, log: (m) => log(`  ${m}`) }));
  } finally {
    await orm.close(true);
  }
}

export const tableExists = async (pool: Pool, table: string): Promise<boolean> =>
  (await pool.query<{ ok: boolean }>('select to_regclass($1) is not null as ok', [table])).rows[0].ok;
