import path from 'node:path';
import type { MikroORM } from '@mikro-orm/postgresql';
import { loadConfig, type Config } from '../config';
import { openOrm, migrate } from '../db/orm';
import { startEmbeddedPostgres, type EmbeddedDatabase } from '../db/embedded';

/**
 * For command-line tools: the database of DATABASE_URL, or the embedded one of `npm start`
 * (same data folder), migrated. `close()` releases everything, and stops the embedded server only when this
 * tool started it: one already running (a live `npm start`) is left running.
 */
export async function openCliDatabase(): Promise<{ orm: MikroORM; config: Config; close(): Promise<void> }> {
  const config = loadConfig();
  let embedded: EmbeddedDatabase | undefined;
  let url = config.databaseUrl;
  if (!url) {
    embedded = await startEmbeddedPostgres(path.join(config.dataDir, 'pg'), config.embeddedPgPort, (m) => console.error(m));
    url = embedded.url;
  }
  const orm = await openOrm(url, 4);
  await migrate(orm);
  return {
    orm,
    config,
    async close() {
      await orm.close(true);
      if (embedded && !embedded.adopted) await embedded.stop();
    },
  };
}

/** Runs a CLI body, printing a clear message and exiting non-zero on failure. */
export function runCli(body: () => Promise<void>): void {
  body().then(
    () => process.exit(0),
    (e: unknown) => {
      const err = e as { message?: string; extensions?: { problems?: { message: string }[] } };
      console.error(err.message ?? String(e));
      for (const p of err.extensions?.problems?.slice(0, 50) ?? []) console.error(`  - ${p.message}`);
      process.exit(1);
    },
  );
}
