import { generateKeyPairSync, randomBytes } from 'node:crypto';
import { startTestApp, type TestApp } from '../support/app';
import { gql, ok } from '../support/client';
import { principalWith } from '../support/principals';
import { smallTree } from '../support/factories';

/*
 * Issue 15, weaknesses: Prometheus labels took the client's operation name (anyone could create unbounded
 * series), and development mode added extensions.sqlStatements to every response.
 */
let t: TestApp;
let viewer: string;

beforeAll(async () => {
  t = await startTestApp({ METRICS_OPERATION_NAMES: 'MyScreen' });
  await smallTree(t);
  viewer = (await principalWith(t, [{ role: 'VIEWER', unit: 'C1' }])).token;
});
afterAll(() => t?.close());

const post = (app: TestApp, body: unknown, headers: Record<string, string> = {}) =>
  fetch(app.url, { method: 'POST', headers: { 'content-type': 'application/json', ...headers }, body: JSON.stringify(body) }).then((r) => r.json() as Promise<any>);
const metrics = async (): Promise<string> => (await fetch(`${t.base}/metrics`)).text();
const counted = (text: string, op: string): number =>
  [...text.matchAll(new RegExp(`graphql_operations_total\\{operation="${op}",type="\\w+"\\} (\\d+)`, 'g'))].reduce((s, m) => s + Number(m[1]), 0);

describe('Prometheus labels', () => {
  it('client-chosen operation names become `other`; known names and METRICS_OPERATION_NAMES keep theirs', async () => {
    const before = counted(await metrics(), 'other');
    const names = Array.from({ length: 30 }, () => `Probe${randomBytes(6).toString('hex')}`);
    for (const name of names) await post(t, { query: `query ${name} { units { totalCount } }`, operationName: name }); // anonymous caller
    await gql(t, `query Dashboard { units { totalCount } }`, {}, viewer);
    await gql(t, `query MyScreen { units { totalCount } }`, {}, viewer);
    await gql(t, `{ units { totalCount } }`, {}, viewer);
    const text = await metrics();
    for (const name of names) expect(text).not.toContain(name);
    expect(counted(text, 'other') - before).toBe(30);
    expect(counted(text, 'Dashboard')).toBeGreaterThanOrEqual(1);
    expect(counted(text, 'MyScreen')).toBe(1);
    expect(counted(text, 'anonymous')).toBeGreaterThanOrEqual(1);
    const series = text.split('\n').filter((l) => l.startsWith('graphql_operations_total{'));
    expect(series.length).toBeLessThanOrEqual(8);
  });
});

describe('extensions.sqlStatements', () => {
  const Q = { query: '{ units { totalCount } }' };

  it('only when asked with x-debug-sql: 1, outside production', async () => {
    const plain = await post(t, Q, { authorization: `Bearer ${viewer}` });
    expect(plain.data.units.totalCount).toBeGreaterThan(0);
    expect(plain.extensions.requestId).toEqual(expect.any(String));
    expect(plain.extensions).not.toHaveProperty('sqlStatements');
    const asked = await post(t, Q, { authorization: `Bearer ${viewer}`, 'x-debug-sql': '1' });
    expect(asked.extensions.sqlStatements).toBeGreaterThan(0);
  });

  it('never in production, even when asked', async () => {
    const { privateKey } = generateKeyPairSync('ec', { namedCurve: 'P-256' });
    const prod = await startTestApp({ NODE_ENV: 'production', JWT_PRIVATE_KEY: privateKey.export({ type: 'pkcs8', format: 'pem' }).toString() });
    try {
      await smallTree(prod);
      const token = (await principalWith(prod, [{ role: 'VIEWER', unit: 'C1' }])).token;
      const asked = await post(prod, Q, { authorization: `Bearer ${token}`, 'x-debug-sql': '1' });
      expect(ok<any>({ status: 200, ...asked }).units.totalCount).toBeGreaterThan(0);
      expect(asked.extensions).not.toHaveProperty('sqlStatements');
    } finally {
      await prod.close();
    }
  });
});
