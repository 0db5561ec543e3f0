import { startTestApp, type TestApp } from '../support/app';
import { gql, codeOf } from '../support/client';
import { smallTree } from '../support/factories';
import { LOGIN, PASSWORD, userWith } from '../support/accounts';

let t: TestApp;

beforeAll(async () => {
  t = await startTestApp({ LOGIN_FAILURE_DELAY_MS: '1' });
  await smallTree(t);
});
afterAll(() => t?.close());

describe('repeated sign-in failures', () => {
  it('lock the username after 10 failures in 15 minutes, even for the right password; state lives in PostgreSQL', async () => {
    const u = await userWith(t, { home: 'D1' });
    for (let i = 1; i <= 10; i++) expect(codeOf(await gql(t, LOGIN, { u: u.username, p: `wrong password ${i}` }))).toBe('UNAUTHENTICATED');
    const locked = await gql(t, LOGIN, { u: u.username, p: PASSWORD });
    expect(codeOf(locked)).toBe('RATE_LIMITED');
    expect(locked.errors![0].extensions.retryAfterSeconds).toBeGreaterThan(800);
    expect(locked.errors![0].extensions.retryAfterSeconds).toBeLessThanOrEqual(900);
    const [row] = await t.sql<{ failures: number; locked: boolean }>(`select failures, locked_until > now() as locked from login_attempt where key = $1`, [`user:${u.username}`]);
    expect(row).toEqual({ failures: 10, locked: true });
    // Another user from the same address is not locked yet (the address allowance is larger).
    const other = await userWith(t, { home: 'D1' });
    expect(codeOf(await gql(t, LOGIN, { u: other.username, p: PASSWORD }))).toBeUndefined();
  });

  it('a success resets the username count', async () => {
    const u = await userWith(t, { home: 'D1' });
    for (let i = 0; i < 4; i++) await gql(t, LOGIN, { u: u.username, p: 'wrong password' });
    expect(codeOf(await gql(t, LOGIN, { u: u.username, p: PASSWORD }))).toBeUndefined();
    expect(await t.sql(`select 1 from login_attempt where key = $1`, [`user:${u.username}`])).toHaveLength(0);
  });

  it('an expired lock lets the user in again', async () => {
    const u = await userWith(t, { home: 'D1' });
    await t.sql(`insert into login_attempt (key, failures, window_started_at, locked_until) values ($1, 10, now() - interval '31 minutes', now() - interval '1 second')`, [`user:${u.username}`]);
    expect(codeOf(await gql(t, LOGIN, { u: u.username, p: PASSWORD }))).toBeUndefined();
  });

  it('lock the client address after 40 failures over any usernames', async () => {
    await t.sql(`delete from login_attempt`);
    for (let i = 0; i < 40; i++) await gql(t, LOGIN, { u: `ghost-${i}`, p: 'whatever it is' });
    const u = await userWith(t, { home: 'D1' });
    const r = await gql(t, LOGIN, { u: u.username, p: PASSWORD });
    expect(codeOf(r)).toBe('RATE_LIMITED');
    expect(r.errors![0].extensions.retryAfterSeconds).toBeGreaterThan(0);
  });
});
