import { startTestApp, type TestApp } from '../support/app';
import { LOGIN } from '../support/accounts';
import { loadConfig } from '../../src/config';
import { createApp, type App } from '../../src/app';

/* The HTTP layer (Fastify): content types, request ids, the client address behind proxies, readiness. */
let t: TestApp;
const extra: App[] = [];
beforeAll(async () => {
  t = await startTestApp();
});
afterAll(async () => {
  for (const a of extra) await a.stop();
  await t?.close();
});

/** Another API instance on the same database (already migrated), with extra settings. */
async function instance(env: Record<string, string>, options: Parameters<typeof createApp>[2] = {}): Promise<App> {
  const config = loadConfig({ NODE_ENV: 'test', HOST: '127.0.0.1', PORT: '0', LOG_LEVEL: 'silent', DATA_DIR: t.app.config.dataDir, DATABASE_URL: t.dbUrl, ...env });
  const a = await createApp(config, t.dbUrl, options);
  extra.push(a);
  return a;
}

const post = (url: string, contentType: string, body = '{"query":"{ __typename }"}', headers: Record<string, string> = {}) =>
  fetch(url, { method: 'POST', headers: { 'content-type': contentType, ...headers }, body });

describe('content type', () => {
  it('accepts application/json with parameters, in any letter case', async () => {
    for (const type of ['application/json', 'application/json; charset=utf-8', 'Application/JSON']) {
      const res = await post(t.url, type);
      expect([type, res.status]).toEqual([type, 200]);
      expect(await res.json()).toMatchObject({ data: { __typename: 'Query' } });
    }
  });

  it('refuses every other media type with 415, look-alikes included', async () => {
    for (const type of ['application/jsonx', 'application/json-patch+json', 'text/plain', 'application/x-www-form-urlencoded', 'multipart/form-data; boundary=x', 'text/application/json']) {
      const res = await post(t.url, type);
      expect([type, res.status]).toEqual([type, 415]);
      expect(((await res.json()) as { errors: { extensions: { code: string } }[] }).errors[0].extensions.code).toBe('BAD_REQUEST');
    }
  });

  it('answers an unknown path with 404 and a JSON body', async () => {
    const res = await fetch(`${t.base}/nowhere`);
    expect(res.status).toBe(404);
    expect(res.headers.get('content-type')).toMatch(/application\/json/);
  });
});

describe('request ids', () => {
  it('keeps a well-formed x-request-id and replaces anything else', async () => {
    const kept = await post(t.url, 'application/json', undefined, { 'x-request-id': 'trace-42_a' });
    expect(kept.headers.get('x-request-id')).toBe('trace-42_a');
    expect(((await kept.json()) as { extensions: { requestId: string } }).extensions.requestId).toBe('trace-42_a');
    const replaced = await post(t.url, 'application/json', undefined, { 'x-request-id': 'x'.repeat(65) });
    expect(replaced.headers.get('x-request-id')).toMatch(/^[0-9a-f-]{36}$/);
  });

  it('puts the request id on refusals raised before any resolver runs', async () => {
    const res = await post(t.url, 'application/json', undefined, { authorization: 'Bearer not-a-token', 'x-request-id': 'refused-1' });
    const body = (await res.json()) as { errors: { extensions: { code: string; requestId: string } }[] };
    expect(body.errors[0].extensions).toMatchObject({ code: 'UNAUTHENTICATED', requestId: 'refused-1' });
  });
});

describe('client address (TRUST_PROXY)', () => {
  /** The address a failed sign-in was counted against (the login throttle keys on ctx.ip). */
  async function addressSeenBy(a: { url: string }, forwardedFor: string): Promise<string[]> {
    const username = `nobody-${Math.random().toString(36).slice(2)}`;
    await t.sql(`delete from login_attempt where key like 'ip:%'`);
    await post(a.url, 'application/json', JSON.stringify({ query: LOGIN, variables: { u: username, p: 'wrong password' } }), { 'x-forwarded-for': forwardedFor });
    return (await t.sql<{ key: string }>(`select key from login_attempt where key like 'ip:%'`)).map((r) => r.key.slice(3));
  }

  it('ignores X-Forwarded-For unless the peer is a trusted proxy', async () => {
    expect(await addressSeenBy(t, '203.0.113.7')).toEqual(['127.0.0.1']);
    const otherProxies = await instance({ TRUST_PROXY: '10.0.0.0/8, 192.168.1.1' });
    expect(await addressSeenBy(otherProxies, '203.0.113.7')).toEqual(['127.0.0.1']);
  });

  it('uses the forwarded client address from trusted hops (CIDR list or hop count)', async () => {
    const byCidr = await instance({ TRUST_PROXY: '127.0.0.0/8' });
    expect(await addressSeenBy(byCidr, '203.0.113.7')).toEqual(['203.0.113.7']);
    // Only the trusted hops count: the client's own claim beyond them is ignored.
    expect(await addressSeenBy(byCidr, '198.51.100.1, 203.0.113.7')).toEqual(['203.0.113.7']);
    const byHops = await instance({ TRUST_PROXY: '1' });
    expect(await addressSeenBy(byHops, '198.51.100.1, 203.0.113.8')).toEqual(['203.0.113.8']);
  });

  it('does not treat a client forwarded by a local proxy as loopback for /metrics', async () => {
    const proxied = await instance({ TRUST_PROXY: '127.0.0.1' });
    const base = proxied.url.replace(/\/graphql$/, '');
    expect((await fetch(`${base}/metrics`)).status).toBe(200);
    expect((await fetch(`${base}/metrics`, { headers: { 'x-forwarded-for': '203.0.113.7' } })).status).toBe(403);
  });

  it('refuses a TRUST_PROXY that is neither a hop count nor addresses', () => {
    expect(() => loadConfig({ TRUST_PROXY: 'everyone' })).toThrow(/TRUST_PROXY=everyone/);
    expect(() => loadConfig({ TRUST_PROXY: '10.0.0.0/33' })).toThrow(/TRUST_PROXY/);
  });
});

describe('readiness', () => {
  it('answers 503 until the start-up work is done, then 200', async () => {
    const a = await instance({}, { deferReady: true });
    const base = a.url.replace(/\/graphql$/, '');
    const before = await fetch(`${base}/readyz`);
    expect(before.status).toBe(503);
    expect(await before.json()).toEqual({ status: 'starting' });
    expect((await fetch(`${base}/healthz`)).status).toBe(200);
    a.markReady();
    expect((await fetch(`${base}/readyz`)).status).toBe(200);
  });
});

describe('configuration', () => {
  it('refuses an unknown LOG_LEVEL naming the allowed ones', () => {
    expect(() => loadConfig({ LOG_LEVEL: 'chatty' })).toThrow(/LOG_LEVEL=chatty \(expected one of fatal, error, warn, info, debug, trace, silent\)/);
    expect(loadConfig({ LOG_LEVEL: 'debug' }).logLevel).toBe('debug');
  });
});
