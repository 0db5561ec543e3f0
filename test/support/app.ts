import os from 'node:os';
import fs from 'node:fs';
import path from 'node:path';
import { randomBytes } from 'node:crypto';
import { Client } from 'pg';
import { loadConfig } from '../../src/config';
import { createApp, type App } from '../../src/app';

export interface TestApp {
  app: App;
  /** GraphQL endpoint. */
  url: string;
  /** Base URL (for /healthz, /readyz, /.well-known/jwks.json). */
  base: string;
  dbUrl: string;
  /** Direct SQL on the test database, for arranging data and checking what was (not) written. */
  sql<T = Record<string, unknown>>(text: string, params?: unknown[]): Promise<T[]>;
  close(): Promise<void>;
}

function adminUrl(): string {
  const url = process.env.TEST_PG_ADMIN_URL;
  if (!url) throw new Error('TEST_PG_ADMIN_URL is not set: run the tests through jest (global setup starts PostgreSQL).');
  return url;
}

export function withDatabase(url: string, db: string): string {
  const u = new URL(url);
  u.pathname = `/${db}`;
  return u.toString();
}

/**
 * A fresh database for one test file, migrated by the app itself, and the API serving it on a free port.
 * `route` changes the URL the API connects with (e.g. through a proxy); `sql` always connects directly.
 */
export async function startTestApp(env: Record<string, string> = {}, route: (url: string) => string = (url) => url): Promise<TestApp> {
  const dbName = `t_${randomBytes(6).toString('hex')}`;
  const admin = new Client({ connectionString: adminUrl() });
  await admin.connect();
  await admin.query(`create database ${dbName}`);
  await admin.end();
  const dbUrl = withDatabase(adminUrl(), dbName);
  const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'vneid-test-app-'));
  const apiUrl = route(dbUrl);
  const config = loadConfig({
    NODE_ENV: 'test', HOST: '127.0.0.1', PORT: '0', DATA_DIR: dataDir, DATABASE_URL: apiUrl,
    LOG_LEVEL: process.env.TEST_LOG_LEVEL ?? 'silent',
    ...env,
  });
  const app = await createApp(config, apiUrl);
  // A direct connection for arranging and checking data; reopened if a test cuts the database off.
  let client: Client | null = null;
  const connection = async (): Promise<Client> => {
    if (!client) {
      const c = new Client({ connectionString: dbUrl });
      c.on('error', () => {
        if (client === c) client = null;
      });
      await c.connect();
      client = c;
    }
    return client;
  };
  let queued: Promise<unknown> = Promise.resolve();
  return {
    app,
    url: app.url,
    base: app.url.replace(/\/graphql$/, ''),
    dbUrl,
    sql<T>(text: string, params: unknown[] = []): Promise<T[]> {
      // One connection: calls made at once (Promise.all) run one after another, as pg wants.
      const run = queued.then(async () => {
        const c = await connection();
        const rows = (await c.query(text, params)).rows as T[];
        // A writer outside the GraphQL layer advances the data version, as the CLIs do (src/cache/data-version.repo.ts).
        if (!/^\s*select\b/i.test(text)) await c.query("select nextval('data_version_seq')").catch(() => undefined);
        return rows;
      });
      queued = run.catch(() => undefined);
      return run;
    },
    async close() {
      await client?.end().catch(() => {});
      await app.stop();
      fs.rmSync(dataDir, { recursive: true, force: true });
      const a = new Client({ connectionString: adminUrl() });
      await a.connect();
      await a.query(`drop database if exists ${dbName} with (force)`);
      await a.end();
    },
  };
}
