import { startTestApp, type TestApp } from '../support/app';
import { gql, ok } from '../support/client';
import { smallTree } from '../support/factories';
import { login, unitGid, userWith, PASSWORD } from '../support/accounts';

let t: TestApp;

beforeAll(async () => {
  t = await startTestApp();
  await smallTree(t);
});
afterAll(() => t?.close());

describe('credentials never leak', () => {
  it('passwords, hashes and refresh tokens appear in no response and no audit row', async () => {
    const admin = await userWith(t, { home: 'P1', grants: [{ role: 'ADMIN', unit: 'P1' }] });
    const session = await login(t, admin.username);
    const responses: string[] = [];
    const call = async (q: string, v: Record<string, unknown> = {}) => {
      const r = await gql(t, q, v, session.accessToken);
      responses.push(JSON.stringify(r));
      return ok(r);
    };
    const initial = 'first secret password';
    const reset = 'second secret password';
    const created = (await call(`mutation($h: ID!, $p: String!) { createUser(input: { username: "clerk", displayName: "Clerk", password: $p, homeUnitId: $h }) { principal { id } } }`, {
      h: await unitGid(t, 'D1'), p: initial,
    })).createUser.principal.id;
    await call(`mutation($p: ID!, $n: String!) { resetPassword(input: { principalId: $p, newPassword: $n }) { principal { id } } }`, { p: created, n: reset });
    await call(`query($id: ID!) { principal(id: $id) { id username displayName email } }`, { id: created });
    await call(`mutation($c: String!, $n: String!) { changeMyPassword(input: { currentPassword: $c, newPassword: $n }) { revokedSessions } }`, {
      c: PASSWORD, n: 'third secret password',
    });
    const clerk = await login(t, 'clerk', reset);
    await call(`{ auditLog(first: 100) { nodes { action before after } } }`);

    const [{ hash }] = await t.sql<{ hash: string }>(`select password_hash as hash from principal where username = 'clerk'`);
    expect(hash).toMatch(/^scrypt\$15\$8\$1\$/);
    const audit = JSON.stringify(await t.sql(`select before, after from audit_entry`));
    const everything = responses.join('\n');
    for (const secret of [initial, reset, 'third secret password', PASSWORD, hash.split('$')[5], clerk.refreshToken, session.refreshToken]) {
      expect(audit).not.toContain(secret);
      expect(everything).not.toContain(secret);
    }
    expect(everything).not.toMatch(/password_?hash/i);
  });

  it('the schema exposes no password or hash field on principals', async () => {
    const r = ok(await gql(t, `{ __type(name: "Principal") { fields { name } } }`));
    expect(r.__type.fields.map((f: any) => f.name).filter((n: string) => /password|hash|secret/i.test(n))).toEqual([]);
  });
});
