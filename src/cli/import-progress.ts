import 'reflect-metadata';
import fs from 'node:fs';
import path from 'node:path';
import { loadConfig } from '../config';
import { createLogger } from '../logger';
import { openOrm, migrate } from '../db/orm';
import { startEmbeddedPostgres, type EmbeddedDatabase } from '../db/embedded';
import { BadUserInputError } from '../common/errors';
import { importProgressCsv } from '../progress/progress-csv';
import { systemContext } from '../system-context';

/**
 * npm run import:progress -- file.csv
 * Imports progress rows (header unit_code,metric,as_of,value) as the system, 5,000 rows per transaction,
 * printing progress. Safe to re-run after an interruption: rows already stored change nothing.
 */
async function main(): Promise<void> {
  const file = process.argv[2];
  if (!file) {
    console.error('Usage: npm run import:progress -- file.csv');
    process.exit(2);
  }
  const config = loadConfig();
  const log = createLogger(config.logLevel === 'info' ? 'warn' : config.logLevel);
  let embedded: EmbeddedDatabase | undefined;
  let url = config.databaseUrl;
  if (!url) {
    embedded = await startEmbeddedPostgres(path.join(config.dataDir, 'pg'), config.embeddedPgPort, (m) => console.error(m));
    url = embedded.url;
  }
  const orm = await openOrm(url, 2);
  let code = 0;
  try {
    await migrate(orm);
    const ctx = systemContext(orm, config, log, 'import-progress');
    const started = Date.now();
    const totals = await importProgressCsv(ctx, fs.createReadStream(file), (r) =>
      console.log(`lines ${r.firstLine}–${r.lastLine}: ${r.changed} written, ${r.unchanged} unchanged`),
    );
    console.log(`Done in ${((Date.now() - started) / 1000).toFixed(1)} s: ${totals.changed} reports written, ${totals.unchanged} unchanged.`);
  } catch (e) {
    code = 1;
    if (e instanceof BadUserInputError) {
      console.error(e.message);
      for (const p of e.problems.slice(0, 50)) console.error(`  ${p.message}`);
      if (e.problems.length > 50) console.error(`  … and ${e.problems.length - 50} more.`);
    } else console.error(`Import failed: ${(e as Error).message}`);
  } finally {
    await orm.close(true);
    await embedded?.stop();
  }
  process.exit(code);
}

void main();
