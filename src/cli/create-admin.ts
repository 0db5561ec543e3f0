import 'reflect-metadata';
import net from 'node:net';
import path from 'node:path';
import type { EntityManager } from '@mikro-orm/postgresql';
import { adminPasswordFromEnv, loadConfig } from '../config';
import { readAdminPassword } from './admin-password';
import { openOrm, migrate } from '../db/orm';
import { startEmbeddedPostgres, type EmbeddedDatabase } from '../db/embedded';
import { createSystemAdmin } from '../principals/bootstrap';

/**
 * npm run user:create-admin -- --username alice [--display-name 'Alice']
 * with the password in ADMIN_PASSWORD, piped on standard input, or typed at the prompt (admin-password.ts).
 * Creates a SYSTEM_ADMIN on DATABASE_URL, or, when it is unset, on the embedded database of the data
 * folder (reusing it when `npm start` is already running it).
 */
function arg(name: string): string | undefined {
  const i = process.argv.indexOf(`--${name}`);
  return i >= 0 ? process.argv[i + 1] : undefined;
}

const portOpen = (port: number): Promise<boolean> =>
  new Promise((resolve) => {
    const s = net.connect(port, '127.0.0.1');
    s.once('connect', () => (s.end(), resolve(true)));
    s.once('error', () => resolve(false));
  });

async function main(): Promise<void> {
  const username = arg('username');
  if (!username) {
    console.error('Usage: ADMIN_PASSWORD=… npm run user:create-admin -- --username <name> [--display-name <name>]');
    console.error('   or: npm run user:create-admin -- --username <name> < file-with-the-password (or type it at the prompt)');
    process.exit(2);
  }
  const password = await readAdminPassword({ argv: process.argv, envPassword: adminPasswordFromEnv(), stdin: process.stdin, stderr: process.stderr });
  if (!password) {
    console.error('No password given (ADMIN_PASSWORD, standard input or the prompt).');
    process.exit(2);
  }
  const config = loadConfig();
  let embedded: EmbeddedDatabase | undefined;
  let url = config.databaseUrl;
  if (!url) {
    if (await portOpen(config.embeddedPgPort)) url = `postgres://postgres:postgres@127.0.0.1:${config.embeddedPgPort}/app`;
    else {
      embedded = await startEmbeddedPostgres(path.join(config.dataDir, 'pg'), config.embeddedPgPort, (m) => console.error(m));
      url = embedded.url;
    }
  }
  const orm = await openOrm(url, 2);
  try {
    await migrate(orm);
    const id = await orm.em.fork().transactional((em) => createSystemAdmin(em as EntityManager, username, password, arg('display-name')));
    console.log(`Created SYSTEM_ADMIN "${username.toLowerCase()}" (principal ${id}). Sign in with the login mutation.`);
  } catch (e) {
    console.error(`Failed: ${(e as Error).message}`);
    process.exitCode = 1;
  } finally {
    await orm.close(true);
    await embedded?.stop();
  }
}

main().catch((e: unknown) => {
  console.error(`Failed: ${(e as Error).message}`);
  process.exit(1);
});
