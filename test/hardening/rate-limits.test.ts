import { startTestApp, type TestApp } from '../support/app';
import { gql, codeOf, ok } from '../support/client';
import { principalWith, type TestPrincipal } from '../support/principals';
import { smallTree } from '../support/factories';
import { loadConfig } from '../../src/config';
import { createApp, type App } from '../../src/app';

const env = { RATE_LIMIT_PER_PRINCIPAL: '5', RATE_LIMIT_PER_ADDRESS: '4', RATE_LIMIT_FLUSH_MS: '50', RATE_LIMIT_WINDOW_SECONDS: '86400' };
let a: TestApp;
let b: App;
let viewer: TestPrincipal;
const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

beforeAll(async () => {
  a = await startTestApp(env);
  await smallTree(a);
  viewer = await principalWith(a, [{ role: 'VIEWER', unit: 'P1' }]);
  // A second instance on the same database, sharing the signing key through configuration.
  b = await createApp(loadConfig({ NODE_ENV: 'test', HOST: '127.0.0.1', PORT: '0', LOG_LEVEL: 'silent', DATA_DIR: a.app.config.dataDir, DATABASE_URL: a.dbUrl, ...env }), a.dbUrl);
});
afterAll(async () => {
  await b?.stop();
  await a?.close();
});

it('limits a principal across two API instances and says when to retry', async () => {
  for (let i = 0; i < 4; i++) ok(await gql(a, `{ units { totalCount } }`, {}, viewer.token));
  await sleep(200);
  const onB = { ...a, url: b.url };
  ok(await gql(onB, `{ units { totalCount } }`, {}, viewer.token));
  await sleep(200);
  const refused = await gql(onB, `{ units { totalCount } }`, {}, viewer.token);
  expect(refused.status).toBe(429);
  expect(codeOf(refused)).toBe('RATE_LIMITED');
  expect(refused.errors![0].extensions.retryAfterSeconds).toBeGreaterThan(0);
  expect(refused.errors![0].extensions.http).toBeUndefined();
});

it('limits anonymous callers per address', async () => {
  const codes: (string | undefined)[] = [];
  for (let i = 0; i < 6; i++) codes.push(codeOf(await gql(a, `{ units { totalCount } }`)));
  expect(codes).toEqual(['UNAUTHENTICATED', 'UNAUTHENTICATED', 'UNAUTHENTICATED', 'UNAUTHENTICATED', 'RATE_LIMITED', 'RATE_LIMITED']);
  expect(codes.slice(4)).toEqual(['RATE_LIMITED', 'RATE_LIMITED']);
});
