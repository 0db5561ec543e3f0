import { startTestApp, type TestApp } from '../support/app';
import { gql, codeOf, ok } from '../support/client';
import { gqlFrom } from '../support/from-address';
import { smallTree } from '../support/factories';
import { principalWith } from '../support/principals';
import { LOGIN, PASSWORD, login, userWith } from '../support/accounts';

let t: TestApp;

beforeAll(async () => {
  // The per-address request limit (30 logins a minute) is off here: it would answer RATE_LIMITED before the throttle
  // under test counts a failure, and a run slow enough to cross its minute would then see neither.
  t = await startTestApp({ LOGIN_FAILURE_DELAY_MS: '1', RATE_LIMIT_LOGIN_PER_ADDRESS: '0' });
  await smallTree(t);
});
afterAll(() => t?.close());

const ATTACKER = '127.0.0.7';
const OFFICE = '127.0.0.8';
const fail = (address: string, username: string, i: number) => gqlFrom(t, address, LOGIN, { u: username, p: `wrong password ${i}` });
const signIn = (address: string, username: string) => gqlFrom(t, address, LOGIN, { u: username, p: PASSWORD });

describe('repeated sign-in failures (issue 15: no targeted lockout)', () => {
  it('lock that username from that address after 10 failures, even for the right password; state lives in PostgreSQL', async () => {
    const u = await userWith(t, { home: 'D1' });
    for (let i = 1; i <= 10; i++) expect(codeOf(await fail(ATTACKER, u.username, i))).toBe('UNAUTHENTICATED');
    const locked = await signIn(ATTACKER, u.username);
    expect(codeOf(locked)).toBe('RATE_LIMITED');
    expect(locked.errors![0].extensions.retryAfterSeconds).toBeGreaterThan(800);
    expect(locked.errors![0].extensions.retryAfterSeconds).toBeLessThanOrEqual(900);
    const [row] = await t.sql<{ failures: number; locked: boolean }>(`select failures, locked_until > now() as locked from login_attempt where key = $1`, [`pair:${ATTACKER}|${u.username}`]);
    expect(row).toEqual({ failures: 10, locked: true });
  });

  it('the account stays usable from an address that has not failed, and the user-wide count never locks', async () => {
    const u = await userWith(t, { home: 'D1' });
    for (let i = 1; i <= 12; i++) await fail(ATTACKER, u.username, i);
    expect(codeOf(await signIn(ATTACKER, u.username))).toBe('RATE_LIMITED');
    expect(ok(await signIn(OFFICE, u.username)).login.principal.username).toBe(u.username);
    const [user] = await t.sql<{ locked_until: Date | null }>(`select locked_until from login_attempt where key = $1`, [`user:${u.username}`]);
    expect(user.locked_until).toBeNull();
  });

  it('a success from an address resets that address\'s count for the username', async () => {
    const u = await userWith(t, { home: 'D1' });
    for (let i = 0; i < 4; i++) await fail(OFFICE, u.username, i);
    expect(codeOf(await signIn(OFFICE, u.username))).toBeUndefined();
    expect(await t.sql(`select 1 from login_attempt where key = $1`, [`pair:${OFFICE}|${u.username}`])).toHaveLength(0);
  });

  it('an expired lock lets the user in again', async () => {
    const u = await userWith(t, { home: 'D1' });
    await t.sql(`insert into login_attempt (key, failures, window_started_at, locked_until) values ($1, 10, now() - interval '31 minutes', now() - interval '1 second')`, [
      `pair:${OFFICE}|${u.username}`,
    ]);
    expect(codeOf(await signIn(OFFICE, u.username))).toBeUndefined();
  });

  it('lock the client address after 40 failures over any usernames; other addresses are unaffected', async () => {
    const address = '127.0.0.9';
    for (let i = 0; i < 40; i++) await gqlFrom(t, address, LOGIN, { u: `ghost-${i}`, p: 'whatever it is' });
    const u = await userWith(t, { home: 'D1' });
    const r = await signIn(address, u.username);
    expect(codeOf(r)).toBe('RATE_LIMITED');
    expect(r.errors![0].extensions.retryAfterSeconds).toBeGreaterThan(0);
    expect(codeOf(await signIn(OFFICE, u.username))).toBeUndefined();
  });
});

describe('unlockPrincipal', () => {
  const UNLOCK = `mutation($p: ID!) { unlockPrincipal(input: { principalId: $p }) { clearedLocks principal { id } } }`;

  it('an ADMIN over the account clears its locks from every address; audited with the count only', async () => {
    const admin = await principalWith(t, [{ role: 'ADMIN', unit: 'P1' }]);
    const u = await userWith(t, { home: 'D1', grants: [{ role: 'OFFICER', unit: 'D1' }] });
    for (const address of [ATTACKER, OFFICE]) for (let i = 1; i <= 10; i++) await fail(address, u.username, i);
    expect(codeOf(await signIn(OFFICE, u.username))).toBe('RATE_LIMITED');
    const res = ok(await gql(t, UNLOCK, { p: u.gid }, admin.token)).unlockPrincipal;
    expect(res).toEqual({ clearedLocks: 3, principal: { id: u.gid } }); // two addresses + the user-wide count
    expect(codeOf(await signIn(OFFICE, u.username))).toBeUndefined();
    const [entry] = await t.sql<{ after: unknown; subject: number }>(
      `select after, subject_principal_id as subject from audit_entry where action = 'principal.unlock' and object_id = $1`, [String(u.id)]);
    expect(entry).toEqual({ after: { clearedLocks: 3 }, subject: u.id });
  });

  it('an account outside its jurisdiction NOT_FOUND (for an OFFICER: every account), a service account BAD_USER_INPUT; nothing cleared', async () => {
    const admin = await principalWith(t, [{ role: 'ADMIN', unit: 'D1' }]);
    const officer = await principalWith(t, [{ role: 'OFFICER', unit: 'D1' }]);
    const inside = await userWith(t, { home: 'C1', grants: [{ role: 'VIEWER', unit: 'C1' }] });
    const wider = await userWith(t, { home: 'C1', grants: [{ role: 'VIEWER', unit: 'P1' }] });
    const elsewhere = await userWith(t, { home: 'C3', grants: [{ role: 'VIEWER', unit: 'C3' }] });
    for (const u of [inside, wider, elsewhere]) for (let i = 1; i <= 10; i++) await fail('127.0.0.10', u.username, i);
    const locks = () => t.sql(`select key, failures from login_attempt order by key`);
    const audits = () => t.sql(`select count(*)::int as n from audit_entry where action = 'principal.unlock'`);
    const [before, auditsBefore] = [await locks(), await audits()];
    expect(codeOf(await gql(t, UNLOCK, { p: elsewhere.gid }, admin.token))).toBe('NOT_FOUND');
    expect(codeOf(await gql(t, UNLOCK, { p: wider.gid }, admin.token))).toBe('NOT_FOUND'); // holds a grant above D1
    expect(codeOf(await gql(t, UNLOCK, { p: inside.gid }, officer.token))).toBe('NOT_FOUND');
    const [{ id: svc }] = await t.sql<{ id: number }>(
      `insert into principal (kind, display_name, status, home_unit_id, created_at, updated_at) select 'SERVICE_ACCOUNT', 'svc', 'ACTIVE', id, now(), now() from admin_unit where code = 'C1' returning id`);
    const svcGid = Buffer.from(`Principal:${svc}`).toString('base64url');
    expect(codeOf(await gql(t, UNLOCK, { p: svcGid }, admin.token))).toBe('BAD_USER_INPUT');
    expect(await locks()).toEqual(before);
    expect(await audits()).toEqual(auditsBefore);
    // Beside them: the account it manages.
    expect(ok(await gql(t, UNLOCK, { p: inside.gid }, admin.token)).unlockPrincipal.clearedLocks).toBe(2);
  });
});

describe('changeMyPassword is throttled', () => {
  const CHANGE = `mutation($c: String!, $n: String!) { changeMyPassword(input: { currentPassword: $c, newPassword: $n }) { revokedSessions } }`;

  it('5 wrong current passwords lock it for 15 minutes, even with the right one; sign-in is not affected', async () => {
    const u = await userWith(t, { home: 'D1' });
    const { accessToken } = await login(t, u.username);
    for (let i = 1; i <= 5; i++) expect(codeOf(await gql(t, CHANGE, { c: `wrong ${i}`, n: 'a brand new password' }, accessToken))).toBe('BAD_USER_INPUT');
    const locked = await gql(t, CHANGE, { c: PASSWORD, n: 'a brand new password' }, accessToken);
    expect(codeOf(locked)).toBe('RATE_LIMITED');
    const [{ hash }] = await t.sql<{ hash: string }>(`select password_hash as hash from principal where id = $1`, [u.id]);
    expect(await login(t, u.username)).toBeTruthy();
    const [{ same }] = await t.sql<{ same: boolean }>(`select password_hash = $2 as same from principal where id = $1`, [u.id, hash]);
    expect(same).toBe(true);
  });

  it('the right password before the limit works and clears the count', async () => {
    const u = await userWith(t, { home: 'D1' });
    const { accessToken } = await login(t, u.username);
    for (let i = 1; i <= 3; i++) await gql(t, CHANGE, { c: `wrong ${i}`, n: 'a brand new password' }, accessToken);
    ok(await gql(t, CHANGE, { c: PASSWORD, n: 'a brand new password' }, accessToken));
    expect(await t.sql(`select 1 from login_attempt where key = $1`, [`pw:${u.id}`])).toHaveLength(0);
  });
});
