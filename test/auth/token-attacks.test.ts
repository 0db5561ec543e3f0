import { randomUUID } from 'node:crypto';
import { SignJWT, generateKeyPair, exportJWK, calculateJwkThumbprint } from 'jose';
import { startTestApp, type TestApp } from '../support/app';
import { gql, codeOf, ok } from '../support/client';
import { smallTree } from '../support/factories';
import { principalWith, type TestPrincipal } from '../support/principals';
import { userWith, unitGid } from '../support/accounts';

let t: TestApp;
let admin: TestPrincipal;
let victim: { id: number; sessionId: string };
const UNITS = `{ units { totalCount } }`;

beforeAll(async () => {
  t = await startTestApp();
  await smallTree(t);
  admin = await principalWith(t, [{ role: 'SYSTEM_ADMIN', unit: 'P1' }]);
  const u = await userWith(t, { home: 'D1', grants: [{ role: 'VIEWER', unit: 'D1' }] });
  const sessionId = randomUUID();
  await t.sql(`insert into refresh_session (id, principal_id, token_hash, expires_at, created_at) values ($1, $2, 'x', now() + interval '1 day', now())`, [sessionId, u.id]);
  victim = { id: u.id, sessionId };
});
afterAll(() => t?.close());

const cfg = () => t.app.config.jwt;
function claims(over: { iss?: string; aud?: string; exp?: number } = {}) {
  return new SignJWT({ sid: victim.sessionId })
    .setSubject(String(victim.id))
    .setIssuer(over.iss ?? cfg().issuer)
    .setAudience(over.aud ?? cfg().audience)
    .setIssuedAt(Math.floor(Date.now() / 1000) - 60)
    .setExpirationTime(over.exp ?? Math.floor(Date.now() / 1000) + 300);
}
const sign = (jwt: SignJWT) => jwt.setProtectedHeader({ alg: 'ES256', kid: t.app.keys.kid }).sign(t.app.keys.signingKey);

describe('access tokens', () => {
  it('accepts a well-formed token (control)', async () => {
    ok(await gql(t, UNITS, {}, await sign(claims())));
  });

  it('refuses expired, wrong-issuer and wrong-audience tokens', async () => {
    for (const jwt of [claims({ exp: Math.floor(Date.now() / 1000) - 10 }), claims({ iss: 'someone-else' }), claims({ aud: 'another-app' })]) {
      expect(codeOf(await gql(t, UNITS, {}, await sign(jwt)))).toBe('UNAUTHENTICATED');
    }
  });

  it('refuses a tampered payload', async () => {
    const [h, , s] = (await sign(claims())).split('.');
    const payload = Buffer.from(JSON.stringify({ sub: String(admin.id), sid: victim.sessionId, iss: cfg().issuer, aud: cfg().audience, exp: 9999999999, iat: 1 })).toString('base64url');
    expect(codeOf(await gql(t, UNITS, {}, `${h}.${payload}.${s}`))).toBe('UNAUTHENTICATED');
  });

  it('refuses alg "none"', async () => {
    const enc = (o: object) => Buffer.from(JSON.stringify(o)).toString('base64url');
    const now = Math.floor(Date.now() / 1000);
    const token = `${enc({ alg: 'none', kid: t.app.keys.kid, typ: 'JWT' })}.${enc({ sub: String(victim.id), sid: victim.sessionId, iss: cfg().issuer, aud: cfg().audience, iat: now, exp: now + 300 })}.`;
    expect(codeOf(await gql(t, UNITS, {}, token))).toBe('UNAUTHENTICATED');
  });

  it('refuses tokens signed with a key the server does not know (unknown kid, or a known kid with a foreign key)', async () => {
    const { privateKey, publicKey } = await generateKeyPair('ES256');
    const foreignKid = await calculateJwkThumbprint(await exportJWK(publicKey));
    const unknown = await claims().setProtectedHeader({ alg: 'ES256', kid: foreignKid }).sign(privateKey);
    const impostor = await claims().setProtectedHeader({ alg: 'ES256', kid: t.app.keys.kid }).sign(privateKey);
    expect(codeOf(await gql(t, UNITS, {}, unknown))).toBe('UNAUTHENTICATED');
    expect(codeOf(await gql(t, UNITS, {}, impostor))).toBe('UNAUTHENTICATED');
  });

  it('says why (extensions.reason) and answers 401 with a WWW-Authenticate challenge', async () => {
    const post = async (authorization?: string) => {
      const res = await fetch(t.url, { method: 'POST', headers: { 'content-type': 'application/json', ...(authorization ? { authorization } : {}) }, body: JSON.stringify({ query: UNITS }) });
      const body = (await res.json()) as { errors: { extensions: { code: string; reason: string } }[] };
      return { status: res.status, challenge: res.headers.get('www-authenticate'), code: body.errors[0].extensions.code, reason: body.errors[0].extensions.reason };
    };
    const expired = await sign(claims({ exp: Math.floor(Date.now() / 1000) - 10 }));
    expect(await post(`Bearer ${expired}`)).toEqual({ status: 401, code: 'UNAUTHENTICATED', reason: 'EXPIRED', challenge: expect.stringMatching(/^Bearer realm="[^"]+", error="invalid_token", error_description="The access token has expired/) });
    expect(await post('Bearer not.a.token')).toMatchObject({ status: 401, reason: 'INVALID', challenge: expect.stringContaining('error="invalid_token"') });
    // an expired token signed by a foreign key is not "expired": its signature fails first
    const { privateKey } = await generateKeyPair('ES256');
    expect(await post(`Bearer ${await claims({ exp: 1 }).setProtectedHeader({ alg: 'ES256', kid: t.app.keys.kid }).sign(privateKey)}`)).toMatchObject({ reason: 'INVALID' });
    expect(await post('Basic abc')).toMatchObject({ status: 401, reason: 'MALFORMED_HEADER', challenge: expect.stringContaining('error="invalid_request"') });
    expect(await post()).toEqual({ status: 401, code: 'UNAUTHENTICATED', reason: 'MISSING', challenge: 'Bearer realm="vneid-campaign-api"' });
    await t.sql(`update refresh_session set revoked_at = now() where id = $1`, [victim.sessionId]);
    try {
      expect(await post(`Bearer ${await sign(claims())}`)).toMatchObject({ status: 401, reason: 'SESSION_ENDED' });
    } finally {
      await t.sql(`update refresh_session set revoked_at = null where id = $1`, [victim.sessionId]);
    }
  });

  it('publishes the verification key with its kid', async () => {
    const jwks = (await (await fetch(`${t.base}/.well-known/jwks.json`)).json()) as { keys: { kid: string; d?: string }[] };
    expect(jwks.keys.map((k) => k.kid)).toContain(t.app.keys.kid);
    expect(jwks.keys.every((k) => k.d === undefined)).toBe(true);
  });
});

describe('API keys', () => {
  const CREATE = `mutation($p: ID!, $n: String!, $e: DateTime) { createApiKey(input: { principalId: $p, name: $n, expiresAt: $e }) { key apiKey { id prefix lastUsedAt } } }`;
  let service: { id: string };

  beforeAll(async () => {
    const created = ok(await gql(t, `mutation($u: ID!) { createServiceAccount(input: { name: "Importer", homeUnitId: $u }) { principal { id kind } } }`, { u: await unitGid(t, 'D1') }, admin.token));
    service = created.createServiceAccount.principal;
    const [{ id }] = await t.sql<{ id: number }>(`select id from principal where kind = 'SERVICE_ACCOUNT'`);
    await t.sql(`insert into "grant" (principal_id, role, unit_id, created_at) select $1, 'VIEWER', id, now() from admin_unit where code = 'D1'`, [id]);
  });

  it('works for queries, records last use, and stores only a hash', async () => {
    const { key, apiKey } = ok(await gql(t, CREATE, { p: service.id, n: 'nightly import' }, admin.token)).createApiKey;
    expect(key.startsWith(`${apiKey.prefix}_`)).toBe(true);
    expect(ok(await gql(t, UNITS, {}, key)).units.totalCount).toBe(5);
    const [row] = await t.sql<{ last_used_at: Date | null; secret_hash: string }>(`select last_used_at, secret_hash from api_key where key_id = $1`, [apiKey.prefix.slice(4)]);
    expect(row.last_used_at).not.toBeNull();
    expect(row.secret_hash).not.toContain(key.split('_').slice(2).join('_'));
    const audits = await t.sql<{ a: string }>(`select coalesce(before::text, '') || coalesce(after::text, '') as a from audit_entry`);
    expect(audits.some((a) => a.a.includes(key.slice(25)))).toBe(false);
  });

  it('a revoked key stops working on the next request', async () => {
    const { key, apiKey } = ok(await gql(t, CREATE, { p: service.id, n: 'to revoke' }, admin.token)).createApiKey;
    ok(await gql(t, UNITS, {}, key));
    ok(await gql(t, `mutation($k: ID!) { revokeApiKey(input: { apiKeyId: $k }) { apiKey { revokedAt } } }`, { k: apiKey.id }, admin.token));
    expect(codeOf(await gql(t, UNITS, {}, key))).toBe('UNAUTHENTICATED');
  });

  it('an expired key, a wrong secret and a malformed key are refused', async () => {
    const { key, apiKey } = ok(await gql(t, CREATE, { p: service.id, n: 'short-lived', e: new Date(Date.now() + 60_000).toISOString() }, admin.token)).createApiKey;
    await t.sql(`update api_key set expires_at = now() - interval '1 second' where key_id = $1`, [apiKey.prefix.slice(4)]);
    expect(codeOf(await gql(t, UNITS, {}, key))).toBe('UNAUTHENTICATED');
    expect(codeOf(await gql(t, UNITS, {}, `${apiKey.prefix}_${'A'.repeat(43)}`))).toBe('UNAUTHENTICATED');
    const malformed = await gql(t, UNITS, {}, 'p06_short_x');
    expect(malformed.errors![0].extensions).toMatchObject({ code: 'UNAUTHENTICATED', reason: 'API_KEY_INVALID' });
  });
});

describe('changes take effect on the next request', () => {
  it('revoking a grant shrinks what the token sees at once', async () => {
    const p = await principalWith(t, [{ role: 'VIEWER', unit: 'D1' }, { role: 'VIEWER', unit: 'D3' }]);
    expect(ok(await gql(t, UNITS, {}, p.token)).units.totalCount).toBe(7);
    await t.sql(`delete from "grant" where principal_id = $1 and unit_id = (select id from admin_unit where code = 'D3')`, [p.id]);
    expect(ok(await gql(t, UNITS, {}, p.token)).units.totalCount).toBe(5);
  });

  it('disabling the account ends its tokens at once', async () => {
    const p = await principalWith(t, [{ role: 'VIEWER', unit: 'D1' }]);
    await t.sql(`update principal set home_unit_id = (select id from admin_unit where code = 'D1') where id = $1`, [p.id]);
    ok(await gql(t, UNITS, {}, p.token));
    const gid = Buffer.from(`Principal:${p.id}`).toString('base64url');
    ok(await gql(t, `mutation($p: ID!) { disablePrincipal(input: { principalId: $p }) { principal { status } } }`, { p: gid }, admin.token));
    expect(codeOf(await gql(t, UNITS, {}, p.token))).toBe('UNAUTHENTICATED');
  });
});
