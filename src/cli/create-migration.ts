import 'reflect-metadata';
import fs from 'node:fs';
import path from 'node:path';
import { openCliDatabase, runCli } from './database';
import { entityDiff } from '../db/schema-diff';

/**
 * npm run db:migration:create -- Name: diffs the entities against a migrated database and writes
 * migrations/Migration<timestamp><Name>.ts, appending it to migrations/index.ts. Review it before committing.
 */
runCli(async () => {
  const name = (process.argv[2] ?? '').replace(/[^A-Za-z0-9]/g, '');
  if (!name) throw new Error('Usage: npm run db:migration:create -- <Name>');
  const db = await openCliDatabase();
  try {
    const statements = await entityDiff(db.orm);
    if (statements.length === 0) {
      console.log('The entities match the database: no migration needed.');
      return;
    }
    const stamp = new Date().toISOString().replace(/\D/g, '').slice(0, 14);
    const cls = `Migration${stamp}${name}`;
    const body = statements.map((s) => `    this.addSql(${JSON.stringify(`${s};`)});`).join('\n');
    const file = path.resolve('migrations', `${cls}.ts`);
    fs.writeFileSync(file, `import { Migration } from '@mikro-orm/migrations';\n\nexport class ${cls} extends Migration {\n  override async up(): Promise<void> {\n${body}\n  }\n}\n`);
    const index = path.resolve('migrations', 'index.ts');
    const src = fs.readFileSync(index, 'utf8')
      .replace(/(\nexport const migrationsList = \[)/, `import { ${cls} } from './${cls}';\n$1`)
      .replace(/\n\];\s*$/, `\n  { name: '${cls}', class: ${cls} },\n];\n`);
    fs.writeFileSync(index, src);
    console.log(`Wrote ${file} (${statements.length} statements) and registered it in migrations/index.ts.`);
  } finally {
    await db.close();
  }
});
