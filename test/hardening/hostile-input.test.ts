import { startTestApp, type TestApp } from '../support/app';
import { gql, codeOf, ok } from '../support/client';
import { principalWith, type TestPrincipal } from '../support/principals';
import { smallTree } from '../support/factories';
import { toGlobalId } from '../../src/common/global-id';

let t: TestApp;
let admin: TestPrincipal;
let viewer: TestPrincipal;
let ids: Record<string, number>;

beforeAll(async () => {
  t = await startTestApp({ MAX_QUERY_DEPTH: '8', MAX_QUERY_ALIASES: '10', MAX_QUERY_COST: '5000', CORS_ORIGINS: 'https://dashboard.example.vn' });
  ids = await smallTree(t);
  admin = await principalWith(t, [{ role: 'ADMIN', unit: 'P1' }]);
  viewer = await principalWith(t, [{ role: 'VIEWER', unit: 'D1' }]);
});
afterAll(() => t?.close());

const snapshot = () => t.sql(`select id, code, name, kind, path::text from admin_unit order by id`);

describe('query limits refuse before execution, naming the limit', () => {
  it('depth', async () => {
    const deep = `{ units { nodes { children { nodes { children { nodes { children { nodes { children { nodes { code } } } } } } } } } } }`;
    const r = await gql(t, deep, {}, viewer.token);
    expect(r.errors![0].extensions).toMatchObject({ limit: 'maxDepth', max: 8 });
    expect(r.extensions?.sqlStatements ?? 0).toBeLessThanOrEqual(1); // only the authentication lookup
  });

  it('aliases', async () => {
    const aliased = `{ ${Array.from({ length: 11 }, (_, i) => `a${i}: units { totalCount }`).join(' ')} }`;
    const r = await gql(t, aliased, {}, viewer.token);
    expect(r.errors![0].extensions).toMatchObject({ limit: 'maxAliases', max: 10 });
  });

  it('cost: connections cost their page size times their children', async () => {
    const costly = `{ units(first: 100) { nodes { children(first: 100) { nodes { code } } } } }`;
    const r = await gql(t, costly, {}, viewer.token);
    expect(r.errors![0].extensions).toMatchObject({ limit: 'maxCost', max: 5000 });
    expect(r.errors![0].message).toMatch(/costs \d+/);
    ok(await gql(t, `{ units(first: 10) { nodes { children(first: 10) { nodes { code } } } } }`, {}, viewer.token));
  });

  it('body size', async () => {
    const res = await fetch(t.url, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ query: `{ __typename }`, pad: 'x'.repeat(3 * 1024 * 1024) }) });
    expect(res.status).toBe(413);
  });

  it('batched requests are not accepted', async () => {
    const res = await fetch(t.url, { method: 'POST', headers: { 'content-type': 'application/json', authorization: `Bearer ${viewer.token}` }, body: JSON.stringify([{ query: '{ __typename }' }, { query: '{ __typename }' }]) });
    expect(res.status).toBe(400);
  });
});

describe('hostile strings change nothing and leak nothing', () => {
  const injections = [`'; drop table admin_unit; --`, `" or 1=1 --`, `\\'); select pg_sleep(1); --`, `%_%`, `\u0000`, '𝔘𝔫𝔦𝔠𝔬𝔡𝔢 🚀'];

  it('in search, codes and names', async () => {
    const before = await snapshot();
    for (const s of injections) {
      const search = await gql(t, `query($s: String) { units(search: $s) { totalCount } }`, { s }, admin.token);
      if (s.includes('\u0000')) {
        expect(search.status).toBe(400);
        expect(codeOf(search)).toBe('BAD_USER_INPUT');
        continue;
      }
      expect(search.data.units.totalCount).toBe(0);
      const byCode = await gql(t, `query($c: String!) { unitByCode(code: $c) { id } }`, { c: s }, admin.token);
      expect(codeOf(byCode)).toBe('NOT_FOUND');
      const upd = await gql(t, `mutation($i: UpdateUnitInput!) { updateUnit(input: $i) { unit { name } } }`, { i: { id: s, name: s } }, admin.token);
      expect(codeOf(upd)).toBe('NOT_FOUND');
      for (const e of [...(search.errors ?? []), ...(byCode.errors ?? []), ...(upd.errors ?? [])]) {
        expect(e.extensions.code).not.toBe("INTERNAL_SERVER_ERROR");
        expect(JSON.stringify(e)).not.toMatch(/syntax error|ERROR:|stacktrace|\.ts:\d+/i);
      }
    }
    expect(await snapshot()).toEqual(before);
  });

  it('a 1 MB name is refused with the field named', async () => {
    const r = await gql(t, `mutation($i: UpdateUnitInput!) { updateUnit(input: $i) { unit { name } } }`, { i: { id: toGlobalId('Unit', ids.C1), name: 'x'.repeat(1024 * 1024) } }, admin.token);
    expect(codeOf(r)).toBe('BAD_USER_INPUT');
    expect(r.errors![0].extensions.fieldPaths).toEqual(['input.name']);
  });

  it('NFC and NFD spellings of "Núi Thành" are the same name', async () => {
    const nfd = 'Huyện Núi Thành'.normalize('NFD');
    const r = ok(await gql(t, `mutation($i: UpdateUnitInput!) { updateUnit(input: $i) { unit { name } } }`, { i: { id: toGlobalId('Unit', ids.D1), name: nfd } }, admin.token));
    expect(r.updateUnit.unit.name).toBe('Huyện Núi Thành'.normalize('NFC'));
    const [{ name }] = await t.sql<{ name: string }>(`select name from admin_unit where id = $1`, [ids.D1]);
    expect(name).toBe(name.normalize('NFC'));
  });

  it('invalid UTF-8 and invalid JSON bodies get a clean 400', async () => {
    const bad = Buffer.concat([Buffer.from('{"query":"{ units { totalCount } }","variables":{"s":"'), Buffer.from([0xc3, 0x28, 0xff]), Buffer.from('"}}')]);
    const res = await fetch(t.url, { method: 'POST', headers: { 'content-type': 'application/json', authorization: `Bearer ${viewer.token}` }, body: bad });
    expect(res.status).toBeLessThan(500);
    const broken = await fetch(t.url, { method: 'POST', headers: { 'content-type': 'application/json' }, body: '{"query": ' });
    expect(broken.status).toBe(400);
  });
});

describe('browser-facing protections', () => {
  it('refuses CSRF-style simple requests (GET without the preflight header)', async () => {
    const res = await fetch(`${t.url}?query=${encodeURIComponent('{ __typename }')}`, { headers: { authorization: `Bearer ${viewer.token}` } });
    expect(res.status).toBe(400);
    const form = await fetch(t.url, { method: 'POST', headers: { 'content-type': 'text/plain' }, body: '{"query":"{ __typename }"}' });
    expect(form.status).toBe(415);
  });

  it('allows only configured origins', async () => {
    const allowed = await fetch(t.url, { method: 'OPTIONS', headers: { origin: 'https://dashboard.example.vn', 'access-control-request-method': 'POST' } });
    expect(allowed.status).toBe(204);
    expect(allowed.headers.get('access-control-allow-origin')).toBe('https://dashboard.example.vn');
    const simple = await fetch(t.url, { method: 'POST', headers: { origin: 'https://dashboard.example.vn', 'content-type': 'application/json' }, body: '{"query":"{ __typename }"}' });
    // browsers may read the request id, retry-after, the auth challenge and the rate-limit headers
    expect(simple.headers.get('access-control-expose-headers')!.split(', ')).toEqual(expect.arrayContaining(['x-request-id', 'retry-after', 'www-authenticate', 'ratelimit-remaining']));
    const evil = await fetch(t.url, { method: 'POST', headers: { origin: 'https://evil.example', 'content-type': 'application/json' }, body: '{"query":"{ __typename }"}' });
    expect(evil.status).toBe(403);
    expect(evil.headers.get('access-control-allow-origin')).toBeNull();
  });

  it('sets security headers', async () => {
    const res = await fetch(`${t.base}/healthz`);
    expect(res.headers.get('x-content-type-options')).toBe('nosniff');
    expect(res.headers.get('x-frame-options')).toBe('DENY');
    expect(res.headers.get('content-security-policy')).toContain("frame-ancestors 'none'");
    expect(res.headers.get('x-request-id')).toBeTruthy();
  });
});

describe('observability', () => {
  it('serves Prometheus metrics with operations, errors and pool usage', async () => {
    await gql(t, `query Dashboard { units { totalCount } }`, {}, viewer.token);
    const text = await (await fetch(`${t.base}/metrics`)).text();
    expect(text).toMatch(/graphql_operations_total\{operation="Dashboard",type="query"\} \d+/);
    expect(text).toContain('graphql_operation_duration_seconds_bucket');
    expect(text).toContain('db_pool_connections');
  });

  it('masks unexpected errors as INTERNAL_SERVER_ERROR with a request id', async () => {
    const r = await gql(t, `{ units { totalCount } }`, {}, viewer.token);
    expect(r.extensions?.requestId).toMatch(/^[0-9a-f-]{36}$/);
  });
});
