import { createHash } from 'node:crypto';
import { startTestApp, type TestApp } from '../support/app';
import { smallTree } from '../support/factories';
import { principalWith, type TestPrincipal } from '../support/principals';

/* RateLimit-* headers on every answer; ETag and Cache-Control for GET queries, persisted ones included. */
let t: TestApp;
let viewer: TestPrincipal;
let admin: TestPrincipal;
beforeAll(async () => {
  t = await startTestApp({ RATE_LIMIT_PER_PRINCIPAL: '1000' });
  await smallTree(t);
  viewer = await principalWith(t, [{ role: 'VIEWER', unit: 'P1' }]);
  admin = await principalWith(t, [{ role: 'ADMIN', unit: 'P1' }]);
});
afterAll(() => t?.close());

const QUERY = '{ unitByCode(code: "D1") { name eligibleCitizens } }';
const get = (search: string, token: string, headers: Record<string, string> = {}) =>
  fetch(`${t.url}?${search}`, { headers: { authorization: `Bearer ${token}`, 'apollo-require-preflight': 'true', ...headers } });

describe('RateLimit headers', () => {
  it('tell the limit, what is left and when the window resets', async () => {
    const post = () => fetch(t.url, { method: 'POST', headers: { 'content-type': 'application/json', authorization: `Bearer ${viewer.token}` }, body: JSON.stringify({ query: QUERY }) });
    const first = await post();
    const second = await post();
    expect(first.headers.get('ratelimit-limit')).toBe('1000');
    expect(first.headers.get('ratelimit-policy')).toBe('1000;w=60');
    expect(Number(second.headers.get('ratelimit-remaining'))).toBe(Number(first.headers.get('ratelimit-remaining')) - 1);
    expect(Number(first.headers.get('ratelimit-reset'))).toBeGreaterThan(0);
    expect(Number(first.headers.get('ratelimit-reset'))).toBeLessThanOrEqual(60);
  });
});

describe('ETag for GET queries', () => {
  it('answers 304 to an unchanged answer, 200 with a new tag once the data changed', async () => {
    const search = `query=${encodeURIComponent(QUERY)}`;
    const first = await get(search, viewer.token);
    expect(first.status).toBe(200);
    const etag = first.headers.get('etag')!;
    expect(etag).toMatch(/^"[\w-]+"$/);
    expect(first.headers.get('cache-control')).toBe('private, no-cache');
    expect(first.headers.get('vary')).toContain('Authorization');
    const again = await get(search, viewer.token, { 'if-none-match': etag });
    expect(again.status).toBe(304);
    expect(await again.text()).toBe('');
    const [{ id }] = await t.sql<{ id: number }>(`select id from admin_unit where code = 'D1'`);
    const change = await fetch(t.url, {
      method: 'POST',
      headers: { 'content-type': 'application/json', authorization: `Bearer ${admin.token}` },
      body: JSON.stringify({ query: 'mutation($i: UpdateUnitInput!) { updateUnit(input: $i) { unit { eligibleCitizens } } }', variables: { i: { id: Buffer.from(`Unit:${id}`).toString('base64url'), eligibleCitizens: 4242 } } }),
    });
    expect(change.status).toBe(200);
    const changed = await get(search, viewer.token, { 'if-none-match': etag });
    expect(changed.status).toBe(200);
    expect(changed.headers.get('etag')).not.toBe(etag);
  });

  it('works for automatic persisted queries sent by hash', async () => {
    const hash = createHash('sha256').update(QUERY).digest('hex');
    const extensions = encodeURIComponent(JSON.stringify({ persistedQuery: { version: 1, sha256Hash: hash } }));
    const unknown = await get(`extensions=${extensions}`, viewer.token);
    expect(((await unknown.json()) as { errors: { extensions: { code: string } }[] }).errors[0].extensions.code).toBe('PERSISTED_QUERY_NOT_FOUND');
    const registered = await get(`query=${encodeURIComponent(QUERY)}&extensions=${extensions}`, viewer.token);
    expect(registered.status).toBe(200);
    const byHash = await get(`extensions=${extensions}`, viewer.token);
    expect(byHash.status).toBe(200);
    expect(byHash.headers.get('etag')).toBe(registered.headers.get('etag'));
    expect((await get(`extensions=${extensions}`, viewer.token, { 'if-none-match': byHash.headers.get('etag')! })).status).toBe(304);
  });

  it('tags no error answer and no POST', async () => {
    const missing = await get(`query=${encodeURIComponent('{ unitByCode(code: "nope") { name } }')}`, viewer.token);
    expect(missing.headers.get('etag')).toBeNull();
    const post = await fetch(t.url, { method: 'POST', headers: { 'content-type': 'application/json', authorization: `Bearer ${viewer.token}` }, body: JSON.stringify({ query: QUERY }) });
    expect(post.headers.get('etag')).toBeNull();
    expect(post.headers.get('cache-control')).toBe('no-store');
  });
});
