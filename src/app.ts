import 'reflect-metadata';
import type { MikroORM } from '@mikro-orm/postgresql';
import type { Logger } from 'pino';
import type { Config } from './config';
import { openOrm, migrate } from './db/orm';
import { loadKeySet, type KeySet } from './auth/keys';
import { createSchema } from './schema';
import { startHttpServer, type RunningServer } from './server';
import { createLogger } from './logger';

export interface App {
  url: string;
  port: number;
  orm: MikroORM;
  keys: KeySet;
  log: Logger;
  config: Config;
  stop(): Promise<void>;
}

/** Opens the database (migrating it), and serves the API. Used by main.ts and by the tests. */
export async function createApp(config: Config, databaseUrl: string): Promise<App> {
  const log = createLogger(config.logLevel);
  const orm = await openOrm(databaseUrl, config.dbPoolMax);
  let server: RunningServer | undefined;
  try {
    const applied = await migrate(orm);
    if (applied.length) log.info({ applied }, 'migrations applied');
    const keys = await loadKeySet(config);
    const schema = await createSchema();
    server = await startHttpServer({ config, orm, keys, schema, log });
    const running = server;
    return {
      url: running.url,
      port: running.port,
      orm,
      keys,
      log,
      config,
      async stop() {
        await running.close();
        await orm.close(true);
      },
    };
  } catch (e) {
    await server?.close(0);
    await orm.close(true);
    throw e;
  }
}
