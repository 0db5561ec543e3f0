import { startTestApp, withDatabase, type TestApp } from '../support/app';
import { gql, codeOf, ok } from '../support/client';
import { principalWith, type TestPrincipal } from '../support/principals';
import { smallTree } from '../support/factories';
import { loadConfig } from '../../src/config';
import { createApp } from '../../src/app';
import { freePort } from '../../src/db/free-port';
import { Client } from 'pg';

let t: TestApp;
let viewer: TestPrincipal;
beforeAll(async () => {
  t = await startTestApp();
  await smallTree(t);
  viewer = await principalWith(t, [{ role: 'VIEWER', unit: 'P1' }]);
});
afterAll(() => t?.close());

async function asAdmin(sql: string): Promise<void> {
  const c = new Client({ connectionString: withDatabase(process.env.TEST_PG_ADMIN_URL!, 'postgres') });
  await c.connect();
  await c.query(sql);
  await c.end();
}

it('gives up at start with a message that says what to fix when the database is unreachable', async () => {
  const port = await freePort();
  const url = `postgres://postgres:postgres@127.0.0.1:${port}/nowhere`;
  const config = loadConfig({ NODE_ENV: 'test', PORT: '0', HOST: '127.0.0.1', DATABASE_URL: url, DB_CONNECT_ATTEMPTS: '2', LOG_LEVEL: 'silent', DATA_DIR: '/tmp' });
  await expect(createApp(config, url)).rejects.toThrow(/Cannot reach PostgreSQL at 127\.0\.0\.1:\d+\/nowhere after 2 attempts.*Check DATABASE_URL/);
});

it('fails fast and turns unready while the database is gone, then recovers by itself', async () => {
  const db = new URL(t.dbUrl).pathname.slice(1);
  ok(await gql(t, `{ units { totalCount } }`, {}, viewer.token));
  await asAdmin(`alter database ${db} allow_connections false`);
  await asAdmin(`select pg_terminate_backend(pid) from pg_stat_activity where datname = '${db}' and pid <> pg_backend_pid()`);
  try {
    const during = await gql(t, `{ units { totalCount } }`, {}, viewer.token);
    expect(during.status).toBe(503);
    expect(codeOf(during)).toBe('SERVICE_UNAVAILABLE');
    expect(during.errors![0].extensions).toMatchObject({ retryable: true, retryAfterSeconds: 2 });
    expect(during.errors![0].message).toMatch(/database is unavailable/);
    expect((await fetch(`${t.base}/readyz`)).status).toBe(503);
    expect((await fetch(`${t.base}/healthz`)).status).toBe(200);
  } finally {
    await asAdmin(`alter database ${db} allow_connections true`);
  }
  let recovered = false;
  for (let i = 0; i < 50 && !recovered; i++) {
    recovered = (await fetch(`${t.base}/readyz`)).status === 200;
    if (!recovered) await new Promise((r) => setTimeout(r, 100));
  }
  expect(recovered).toBe(true);
  expect(ok(await gql(t, `{ units { totalCount } }`, {}, viewer.token)).units.totalCount).toBeGreaterThan(0);
});
