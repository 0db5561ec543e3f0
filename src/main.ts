import 'reflect-metadata';
import path from 'node:path';
import { loadConfig, type Config } from './config';
import { createApp, type App } from './app';
import { startEmbeddedPostgres, type EmbeddedDatabase } from './db/embedded';
import { assertPortFree, startFailureMessage } from './start-failure';
import { seedDemo } from '../seeds/demo';
import type { EntityManager } from '@mikro-orm/postgresql';
import { bumpDataVersion } from './cache/data-version.repo';

/*
 * Process entry. stdout carries only the JSON log; what a person reads (banner, demo accounts,
 * progress, the one-line reason a start failed) goes to stderr.
 * Exit codes: 0 stopped by a signal, 1 could not start, 2 bad configuration.
 */
const say = (text: string) => process.stderr.write(`${text}\n`);

async function main(): Promise<void> {
  let config: Config;
  try {
    config = loadConfig();
  } catch (e) {
    say((e as Error).message);
    process.exit(2);
  }
  let embedded: EmbeddedDatabase | undefined;
  let app: App | undefined;
  let stopping = false;

  const shutdown = async (signal: string) => {
    if (stopping) return;
    stopping = true;
    say(`${signal} received: finishing in-flight requests and shutting down…`);
    try {
      await app?.stop();
    } finally {
      await embedded?.stop();
      say('Stopped.');
      process.exit(0);
    }
  };
  for (const signal of ['SIGINT', 'SIGTERM'] as const) process.on(signal, () => void shutdown(signal));

  try {
    await assertPortFree(config.host, config.port);
    let databaseUrl = config.databaseUrl;
    if (!databaseUrl) {
      say(`Starting embedded PostgreSQL in ${path.join(config.dataDir, 'pg')} (port ${config.embeddedPgPort})…`);
      embedded = await startEmbeddedPostgres(path.join(config.dataDir, 'pg'), config.embeddedPgPort, say);
      databaseUrl = embedded.url;
    }
    app = await createApp(config, databaseUrl, { deferReady: config.seedDemo });
    const demo = config.seedDemo ? await seedDemo(app.orm, app.config, app.url) : null;
    if (demo) await bumpDataVersion(app.orm.em.fork() as EntityManager);
    app.markReady();
    app.log.info({ url: app.url }, 'ready');
    say(`\nVNeID campaign API ready at ${app.url}`);
    if (demo) say(demo);
  } catch (e) {
    say(`Failed to start: ${startFailureMessage(e, config)}`);
    await app?.stop().catch(() => {});
    await embedded?.stop().catch(() => {});
    process.exit(1);
  }
}

void main();
