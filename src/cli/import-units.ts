import 'reflect-metadata';
import fs from 'node:fs';
import { openCliDatabase, runCli } from './database';
import { systemContext } from '../system-context';
import type { EntityManager } from '@mikro-orm/postgresql';
import { bumpDataVersion } from '../cache/data-version.repo';
import { importUnitsCsv } from '../units/unit-import.service';
import { createLogger } from '../logger';

/** npm run import:units -- file.csv [more.csv …] [--dry-run]: the same atomic, idempotent import as the importUnits mutation. */
runCli(async () => {
  const args = process.argv.slice(2);
  const dryRun = args.includes('--dry-run');
  const files = args.filter((a) => !a.startsWith('--'));
  if (files.length === 0) throw new Error('Usage: npm run import:units -- <file.csv> [more.csv …] [--dry-run]');
  const db = await openCliDatabase();
  try {
    for (const file of files) {
      const started = Date.now();
      const r = await importUnitsCsv(systemContext(db.orm, db.config, createLogger(db.config.logLevel), 'import-units'), fs.readFileSync(file, 'utf8'), dryRun);
      if (!dryRun) await bumpDataVersion(db.orm.em.fork() as EntityManager);
      console.log(`${file}: ${r.created} created, ${r.updated} updated, ${r.unchanged} unchanged${dryRun ? ' (dry run)' : ''} in ${Date.now() - started} ms`);
    }
  } finally {
    await db.close();
  }
});
