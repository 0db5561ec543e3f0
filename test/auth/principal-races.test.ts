import { startTestApp, type TestApp } from '../support/app';
import { gql, codeOf, ok } from '../support/client';
import { smallTree } from '../support/factories';
import { login, unitGid, userWith } from '../support/accounts';
import { holdLocks } from '../support/locks';

/*
 * An ADMIN acts on an account only while it manages it. A grant given elsewhere while the ADMIN's request is in
 * flight (played here by a transaction that holds the account's row, as grantRole does, and adds a grant outside
 * the ADMIN's subtree) must count: the request is judged on the grants that are, not on those it first read.
 */
let t: TestApp;
let adminD1: string;

const RESET = `mutation($p: ID!) { resetPassword(input: { principalId: $p, newPassword: "a whole new passphrase" }) { principal { id } } }`;
const GRANT = `mutation($p: ID!, $r: Role!, $u: ID) { grantRole(input: { principalId: $p, role: $r, unitId: $u }) { grant { id } } }`;
const API_KEY = `mutation($p: ID!) { createApiKey(input: { principalId: $p, name: "sync" }) { key } }`;

beforeAll(async () => {
  t = await startTestApp({ DB_POOL_MAX: '20' });
  await smallTree(t);
  const admin = await userWith(t, { home: 'D1', grants: [{ role: 'ADMIN', unit: 'D1' }] });
  adminD1 = (await login(t, admin.username)).accessToken;
});
afterAll(() => t?.close());

const snapshot = async (principalId: number) =>
  JSON.stringify([
    await t.sql('select password_hash from principal where id = $1', [principalId]),
    await t.sql('select role, unit_id from "grant" where principal_id = $1 and role <> $2 order by id', [principalId, 'VIEWER']),
    await t.sql('select count(*)::int as n from api_key where principal_id = $1', [principalId]),
    await t.sql(`select count(*)::int as n from audit_entry where object_type in ('Principal', 'Grant', 'ApiKey') and object_id is not null and action <> 'auth.login'`),
  ]);

/** Holds the target's row with a new grant at D3 (outside D1) uncommitted, sends `request`, then commits the grant. */
async function whileGrantLands(targetId: number, request: () => Promise<unknown>) {
  const held = await holdLocks(t, [
    ['select 1 from principal where id = $1 for update', [targetId]],
    [`insert into "grant" (principal_id, role, unit_id, created_at) select $1, 'VIEWER', id, now() from admin_unit where code = 'D3'`, [targetId]],
  ]);
  const pending = request();
  await held.waiters(1);
  await held.release();
  return pending as Promise<Awaited<ReturnType<typeof gql>>>;
}

describe("a grant landing while an ADMIN acts on the account", () => {
  it.each([
    ['resetPassword', (p: string) => gql(t, RESET, { p }, adminD1)],
    ['grantRole', (p: string) => unitGid(t, 'C1').then((u) => gql(t, GRANT, { p, r: 'OFFICER', u }, adminD1))],
    ['createApiKey', (p: string) => gql(t, API_KEY, { p }, adminD1)],
  ])('%s is judged on the grants that are: refused (NOT_FOUND), nothing written', async (_name, send) => {
    const target = await userWith(t, { home: 'C1', grants: [{ role: 'VIEWER', unit: 'C1' }] });
    ok(await gql(t, `query($id: ID!) { principal(id: $id) { id } }`, { id: target.gid }, adminD1)); // manageable before
    const before = await snapshot(target.id);
    const res = await whileGrantLands(target.id, () => send(target.gid));
    expect(codeOf(res)).toBe('NOT_FOUND');
    expect(await snapshot(target.id)).toBe(before);
  });
});

describe('identical grantRole calls at once', () => {
  it('create one grant; the others answer CONFLICT', async () => {
    const target = await userWith(t, { home: 'C1', grants: [] });
    const c1 = await unitGid(t, 'C1');
    const held = await holdLocks(t, [['select 1 from principal where id = $1 for update', [target.id]]]);
    const calls = Array.from({ length: 5 }, () => gql(t, GRANT, { p: target.gid, r: 'OFFICER', u: c1 }, adminD1));
    await held.waiters(5);
    await held.release();
    const codes = (await Promise.all(calls)).map(codeOf);
    expect(codes.filter((c) => c === undefined)).toHaveLength(1);
    expect(codes.filter((c) => c === 'CONFLICT')).toHaveLength(4);
    expect(await t.sql('select role from "grant" where principal_id = $1', [target.id])).toEqual([{ role: 'OFFICER' }]);
  });

  it('without any lock held: ten at once still leave exactly one grant', async () => {
    const target = await userWith(t, { home: 'C1', grants: [] });
    const c1 = await unitGid(t, 'C1');
    const codes = (await Promise.all(Array.from({ length: 10 }, () => gql(t, GRANT, { p: target.gid, r: 'VIEWER', u: c1 }, adminD1)))).map(codeOf);
    expect(codes.filter((c) => c === undefined)).toHaveLength(1);
    expect(codes.filter((c) => c !== undefined).every((c) => c === 'CONFLICT')).toBe(true);
    expect(await t.sql('select role from "grant" where principal_id = $1', [target.id])).toEqual([{ role: 'VIEWER' }]);
  });
});
