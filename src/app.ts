import 'reflect-metadata';
import type { MikroORM } from '@mikro-orm/postgresql';
import type { Logger } from 'pino';
import type { Config } from './config';
import { openOrm, migrate } from './db/orm';
import { metricCatalogue } from './metrics/metric-catalogue';
import { loadKeySet, type KeySet } from './auth/keys';
import { createSchema } from './schema';
import { startHttpServer, type HttpExtension, type RunningServer } from './server';
import type { FastifyInstance } from 'fastify';
import { createLogger } from './logger';
import { startRetention } from './audit/retention';

export interface App {
  url: string;
  port: number;
  orm: MikroORM;
  keys: KeySet;
  log: Logger;
  config: Config;
  /** The HTTP server (Fastify), for tests and tools that inspect it. */
  http: FastifyInstance;
  /** /readyz answers 200 from now on (needed only when created with `deferReady`). */
  markReady(): void;
  /** Drains HTTP (SIGTERM), then closes the database connections. */
  stop(): Promise<{ refused: number; unfinished: number }>;
}

export interface AppOptions {
  /** /readyz stays 503 until markReady() (main.ts: until the demo data is loaded). */
  deferReady?: boolean;
  /** Routes or plugins added to the HTTP server before it listens. */
  httpExtensions?: readonly HttpExtension[];
}

/** Waits for the database with exponential backoff, then fails with a message that says what to fix. */
async function connectWithRetry(databaseUrl: string, config: Config, log: Logger, guarded: boolean): Promise<MikroORM> {
  const where = (() => {
    try {
      const u = new URL(databaseUrl);
      return `${u.hostname}:${u.port || 5432}/${u.pathname.slice(1)}`;
    } catch {
      return 'DATABASE_URL';
    }
  })();
  for (let attempt = 1; ; attempt++) {
    let orm: MikroORM | undefined;
    try {
      orm = await openOrm(databaseUrl, config.dbPoolMax, guarded ? config.db : undefined);
      await orm.em.getConnection().execute('select 1');
      return orm;
    } catch (e) {
      await orm?.close(true).catch(() => {});
      if (attempt >= config.dbConnectAttempts) {
        throw new Error(`Cannot reach PostgreSQL at ${where} after ${attempt} attempts (${(e as Error).message.split('\n')[0]}). Check DATABASE_URL and that the server is running and accepts connections.`);
      }
      const delay = Math.min(500 * 2 ** (attempt - 1), 5000);
      log.warn({ attempt, delayMs: delay, where }, 'database not reachable yet; retrying');
      await new Promise((r) => setTimeout(r, delay));
    }
  }
}

/** Opens the database (migrating it), and serves the API. Used by main.ts and by the tests. */
export async function createApp(config: Config, databaseUrl: string, options: AppOptions = {}): Promise<App> {
  const log = createLogger(config.logLevel);
  // Migrations may run long statements: they get their own connection, free of the request timeouts.
  const migrator = await connectWithRetry(databaseUrl, config, log, false);
  try {
    const applied = await migrate(migrator);
    if (applied.length) log.info({ applied }, 'migrations applied');
  } finally {
    await migrator.close(true);
  }
  const orm = await connectWithRetry(databaseUrl, config, log, true);
  let server: RunningServer | undefined;
  try {
    const keys = await loadKeySet(config);
    const schema = await createSchema();
    // Read before the first request, so no request's statement count depends on whether it came first.
    await metricCatalogue(orm.em.fork());
    server = await startHttpServer({ config, orm, keys, schema, log, extensions: options.httpExtensions }, { ready: !options.deferReady });
    const running = server;
    const stopRetention = startRetention(orm, log, config.auditIpRetentionDays);
    let stopping: Promise<{ refused: number; unfinished: number }> | undefined;
    return {
      url: running.url,
      port: running.port,
      orm,
      keys,
      log,
      config,
      http: running.fastify,
      markReady: () => running.markReady(),
      stop() {
        stopping ??= (async () => {
          stopRetention();
          const drained = await running.close();
          await orm.close(true);
          return drained;
        })();
        return stopping;
      },
    };
  } catch (e) {
    await server?.close(0);
    await orm.close(true);
    throw e;
  }
}
