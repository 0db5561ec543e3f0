import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { randomUUID } from 'node:crypto';
import { Client } from 'pg';
import { loadConfig } from '../config';
import { BadUserInputError } from '../common/errors';
import { importProgressFile } from '../progress/progress-csv';
import { timeStatements } from './statement-timings';

const USAGE = 'Usage: npm run import:progress -- file.csv [--workers N]  (N sessions writing chunks together; default: CPUs, at most 4)';

/**
 * npm run import:progress -- file.csv [--workers N]
 * Imports progress rows (header unit_code,metric,as_of,value) as the system: COPY into a staging table, every line
 * checked at once (a bad line stops the import before anything is written, and every bad line is printed), then
 * written in chunks of about 50,000 rows, one transaction each, by N sessions at once. Safe to re-run after an
 * interruption: rows already stored change nothing. Loads the ORM only when migrations are pending, so it starts fast.
 */
async function main(): Promise<number> {
  const args = process.argv.slice(2);
  const at = args.indexOf('--workers');
  const workers = at >= 0 ? Number(args.splice(at, 2)[1]) : Math.min(4, os.availableParallelism());
  const file = args[0];
  if (!file || args.length > 1 || !Number.isInteger(workers) || workers < 1 || workers > 16) {
    console.error(USAGE);
    return 2;
  }
  const config = loadConfig();
  let stopEmbedded: (() => Promise<void>) | undefined;
  let url = config.databaseUrl;
  if (!url) {
    // Loaded only when needed: requiring the ORM and the embedded server costs more than a 100,000-row import.
    const { startEmbeddedPostgres } = require('../db/embedded') as typeof import('../db/embedded');
    const embedded = await startEmbeddedPostgres(path.join(config.dataDir, 'pg'), config.embeddedPgPort, (m) => console.error(m));
    stopEmbedded = () => embedded.stop();
    url = embedded.url;
  }
  const connectionString: string = url;
  const sessions = Array.from({ length: workers }, () => new Client({ connectionString }));
  let printTimings: (() => void) | undefined;
  try {
    await Promise.all(sessions.map((c) => c.connect()));
    await migrateIfPending(sessions[0], connectionString);
    if (process.env.IMPORT_TIMINGS === '1') printTimings = timeStatements(sessions);
    const started = Date.now();
    const totals = await importProgressFile(sessions, () => fs.createReadStream(file), {
      requestId: `import-progress:${randomUUID()}`,
      onChunk: (c) => console.log(`chunk ${c.chunk}/${c.chunks}: ${c.rows} rows, ${c.changed} written, ${c.rows - c.changed} unchanged`),
    });
    console.log(`Done in ${((Date.now() - started) / 1000).toFixed(1)} s: ${totals.rows} rows, ${totals.changed} reports written, ${totals.unchanged} unchanged.`);
    console.log(`max RSS ${Math.round(process.resourceUsage().maxRSS / 1024)} MB`);
    printTimings?.();
    return 0;
  } catch (e) {
    if (e instanceof BadUserInputError) {
      console.error(e.message);
      for (const p of e.problems.slice(0, 50)) console.error(`  ${p.message}`);
      if (e.problems.length > 50) console.error(`  … and ${e.problems.length - 50} more.`);
    } else console.error(`Import failed: ${(e as Error).message}`);
    return 1;
  } finally {
    await Promise.all(sessions.map((c) => c.end().catch(() => {})));
    await stopEmbedded?.();
  }
}

/** Applies migrations through the ORM only when one of dist/migrations is not recorded as applied. */
async function migrateIfPending(client: Client, url: string): Promise<void> {
  const dir = path.resolve(__dirname, '..', '..', 'migrations');
  const names = fs.existsSync(dir) ? fs.readdirSync(dir).filter((f) => /^Migration\d+\w*\.js$/.test(f)).map((f) => f.replace(/\.js$/, '')) : [];
  const applied = await client
    .query<{ name: string }>(`select name from mikro_orm_migrations`)
    .then((r) => new Set(r.rows.map((x) => x.name.replace(/\.[jt]s$/, ''))))
    .catch(() => new Set<string>());
  if (names.length > 0 && names.every((n) => applied.has(n))) return;
  require('reflect-metadata');
  const { openOrm, migrate } = require('../db/orm') as typeof import('../db/orm');
  const orm = await openOrm(url, 1);
  try {
    await migrate(orm);
  } finally {
    await orm.close(true);
  }
}

void main().then((code) => process.exit(code));
