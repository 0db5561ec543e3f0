import 'reflect-metadata';
import fs from 'node:fs';
import { openCliDatabase, runCli } from './database';
import { systemContext } from '../system-context';
import type { EntityManager } from '@mikro-orm/postgresql';
import { bumpDataVersion } from '../cache/data-version.repo';
import { importUnitsCsv } from '../units/unit-import.service';
import { createLogger } from '../logger';

/**
 * npm run import:units -- file.csv [more.csv …] [--dry-run] [--allow-moves]: the same atomic, idempotent import as the
 * importUnits mutation. A file that moves existing units is refused unless --allow-moves is given; --dry-run lists the moves.
 */
runCli(async () => {
  const args = process.argv.slice(2);
  const dryRun = args.includes('--dry-run');
  const allowMoves = args.includes('--allow-moves');
  const files = args.filter((a) => !a.startsWith('--'));
  if (files.length === 0) throw new Error('Usage: npm run import:units -- <file.csv> [more.csv …] [--dry-run] [--allow-moves]');
  const db = await openCliDatabase();
  try {
    for (const file of files) {
      const started = Date.now();
      const ctx = systemContext(db.orm, db.config, createLogger(db.config.logLevel), 'import-units');
      const r = await importUnitsCsv(ctx, fs.readFileSync(file, 'utf8'), { dryRun, allowMoves });
      if (!dryRun) await bumpDataVersion(db.orm.em.fork() as EntityManager);
      console.log(`${file} (${r.levels} levels): ${r.created} created, ${r.updated} updated, ${r.unchanged} unchanged${dryRun ? ' (dry run)' : ''} in ${Date.now() - started} ms`);
      for (const m of r.moves) console.log(`  row ${m.row}: ${m.code} ${m.name} moves from ${m.fromParentCode ?? '(top)'} to ${m.toParentCode ?? '(top)'}`);
    }
  } finally {
    await db.close();
  }
});
