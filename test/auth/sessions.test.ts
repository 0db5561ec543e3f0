import { startTestApp, type TestApp } from '../support/app';
import { gql, codeOf, ok } from '../support/client';
import { smallTree } from '../support/factories';
import { LOGIN, REFRESH, PASSWORD, login, userWith } from '../support/accounts';

let t: TestApp;
const ME = `{ me { principal { username } sessionId } }`;

beforeAll(async () => {
  t = await startTestApp({ LOGIN_FAILURE_DELAY_MS: '1' });
  await smallTree(t);
});
afterAll(() => t?.close());

describe('login', () => {
  it('signs in and the access token works', async () => {
    const u = await userWith(t, { home: 'D1', grants: [{ role: 'VIEWER', unit: 'D1' }] });
    const res = ok(await gql(t, LOGIN, { u: u.username.toUpperCase(), p: PASSWORD })).login;
    expect(res.principal.username).toBe(u.username);
    expect(new Date(res.expiresAt).getTime()).toBeGreaterThan(Date.now());
    const me = ok(await gql(t, ME, {}, res.accessToken)).me;
    expect(me.principal.username).toBe(u.username);
    const [session] = await t.sql<{ token_hash: string }>('select token_hash from refresh_session where id = $1', [me.sessionId]);
    expect(session.token_hash).toMatch(/^[0-9a-f]{64}$/);
    expect(session.token_hash).not.toContain(res.refreshToken.split('.')[1]);
  });

  it('answers wrong password, unknown user and disabled user the same way', async () => {
    const u = await userWith(t, { home: 'D1' });
    const wrong = await gql(t, LOGIN, { u: u.username, p: 'not the password' });
    const unknown = await gql(t, LOGIN, { u: 'nobody-here', p: PASSWORD });
    await t.sql(`update principal set status = 'DISABLED' where id = $1`, [u.id]);
    const disabled = await gql(t, LOGIN, { u: u.username, p: PASSWORD });
    for (const r of [wrong, unknown, disabled]) {
      expect(codeOf(r)).toBe('UNAUTHENTICATED');
      expect(r.errors![0].message).toBe(wrong.errors![0].message);
    }
  });
});

describe('refresh rotation', () => {
  it('rotates the refresh token within the same session', async () => {
    const u = await userWith(t, { home: 'D1' });
    const first = await login(t, u.username);
    const second = ok(await gql(t, REFRESH, { r: first.refreshToken })).refreshSession;
    expect(second.refreshToken).not.toBe(first.refreshToken);
    expect(second.refreshToken.split('.')[0]).toBe(first.refreshToken.split('.')[0]);
    const third = ok(await gql(t, REFRESH, { r: second.refreshToken })).refreshSession;
    expect(ok(await gql(t, ME, {}, third.accessToken)).me.principal.username).toBe(u.username);
  });

  it('revokes the whole session when a used refresh token is presented again', async () => {
    const u = await userWith(t, { home: 'D1' });
    const first = await login(t, u.username);
    const second = ok(await gql(t, REFRESH, { r: first.refreshToken })).refreshSession;
    const reuse = await gql(t, REFRESH, { r: first.refreshToken });
    expect(codeOf(reuse)).toBe('UNAUTHENTICATED');
    // The legitimate holder's newer token and access token are dead too.
    expect(codeOf(await gql(t, REFRESH, { r: second.refreshToken }))).toBe('UNAUTHENTICATED');
    expect(codeOf(await gql(t, ME, {}, second.accessToken))).toBe('UNAUTHENTICATED');
    const audits = await t.sql(`select 1 from audit_entry where action = 'auth.refresh_reuse_detected' and object_id = $1`, [String(u.id)]);
    expect(audits).toHaveLength(1);
  });

  it('a known session id with a wrong secret is only UNAUTHENTICATED: the session lives on and nothing is written', async () => {
    const u = await userWith(t, { home: 'D1', grants: [{ role: 'SYSTEM_ADMIN', unit: '*' }] });
    const s = await login(t, u.username);
    const sid = s.refreshToken.split('.')[0];
    const state = () => t.sql(`select s.token_hash, s.revoked_at, (select count(*)::int from audit_entry) as audits, (select count(*)::int from refresh_token_used u where u.session_id = s.id) as used
      from refresh_session s where s.id = $1`, [sid]);
    const before = await state();
    for (const secret of ['A'.repeat(43), 'b'.repeat(43), s.refreshToken.split('.')[1].replace(/^./, (c) => (c === 'x' ? 'y' : 'x'))]) {
      expect(codeOf(await gql(t, REFRESH, { r: `${sid}.${secret}` }))).toBe('UNAUTHENTICATED');
    }
    expect(await state()).toEqual(before);
    // Beside the refusals: the holder's tokens still work.
    ok(await gql(t, ME, {}, s.accessToken));
    ok(await gql(t, REFRESH, { r: s.refreshToken }));
  });

  it('reuse detection remembers every token the session rotated away from, not just the last one', async () => {
    const u = await userWith(t, { home: 'D1' });
    const first = await login(t, u.username);
    let current = first.refreshToken;
    for (let i = 0; i < 3; i++) current = ok(await gql(t, REFRESH, { r: current })).refreshSession.refreshToken;
    expect(codeOf(await gql(t, REFRESH, { r: first.refreshToken }))).toBe('UNAUTHENTICATED');
    expect(codeOf(await gql(t, REFRESH, { r: current }))).toBe('UNAUTHENTICATED');
    const [{ revoked }] = await t.sql<{ revoked: boolean }>('select revoked_at is not null as revoked from refresh_session where id = $1', [first.refreshToken.split('.')[0]]);
    expect(revoked).toBe(true);
  });

  it('refuses garbage refresh tokens', async () => {
    expect(codeOf(await gql(t, REFRESH, { r: 'garbage' }))).toBe('UNAUTHENTICATED');
  });
});

describe('logout', () => {
  it('logout ends only the current session', async () => {
    const u = await userWith(t, { home: 'D1' });
    const a = await login(t, u.username);
    const b = await login(t, u.username);
    expect(ok(await gql(t, `mutation { logout { revokedSessions } }`, {}, a.accessToken)).logout.revokedSessions).toBe(1);
    expect(codeOf(await gql(t, ME, {}, a.accessToken))).toBe('UNAUTHENTICATED');
    expect(codeOf(await gql(t, REFRESH, { r: a.refreshToken }))).toBe('UNAUTHENTICATED');
    ok(await gql(t, ME, {}, b.accessToken));
  });

  it('logoutEverywhere ends every session of the principal', async () => {
    const u = await userWith(t, { home: 'D1' });
    const a = await login(t, u.username);
    const b = await login(t, u.username);
    expect(ok(await gql(t, `mutation { logoutEverywhere { revokedSessions } }`, {}, a.accessToken)).logoutEverywhere.revokedSessions).toBe(2);
    expect(codeOf(await gql(t, ME, {}, b.accessToken))).toBe('UNAUTHENTICATED');
    expect(codeOf(await gql(t, REFRESH, { r: b.refreshToken }))).toBe('UNAUTHENTICATED');
  });

  it('changeMyPassword checks the current password and signs out the other sessions', async () => {
    const u = await userWith(t, { home: 'D1' });
    const a = await login(t, u.username);
    const b = await login(t, u.username);
    const CHANGE = `mutation($c: String!, $n: String!) { changeMyPassword(input: { currentPassword: $c, newPassword: $n }) { revokedSessions } }`;
    const wrong = await gql(t, CHANGE, { c: 'wrong password', n: 'a brand new password' }, a.accessToken);
    expect(codeOf(wrong)).toBe('BAD_USER_INPUT');
    expect(codeOf(await gql(t, CHANGE, { c: PASSWORD, n: 'short' }, a.accessToken))).toBe('BAD_USER_INPUT');
    expect(ok(await gql(t, CHANGE, { c: PASSWORD, n: 'a brand new password' }, a.accessToken)).changeMyPassword.revokedSessions).toBe(1);
    ok(await gql(t, ME, {}, a.accessToken));
    expect(codeOf(await gql(t, ME, {}, b.accessToken))).toBe('UNAUTHENTICATED');
    await login(t, u.username, 'a brand new password');
  });

  it('logout needs a signed-in principal', async () => {
    expect(codeOf(await gql(t, `mutation { logout { revokedSessions } }`))).toBe('UNAUTHENTICATED');
  });
});
