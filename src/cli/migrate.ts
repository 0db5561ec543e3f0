import 'reflect-metadata';
import { openCliDatabase, runCli } from './database';

/** npm run db:migrate: applies pending migrations (the server also does it on start). */
runCli(async () => {
  const db = await openCliDatabase();
  const executed = await db.orm.getMigrator().getExecutedMigrations();
  console.log(`Database is migrated (${executed.length} migrations applied).`);
  await db.close();
});
