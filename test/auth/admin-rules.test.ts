import { startTestApp, type TestApp } from '../support/app';
import { gql, codeOf, ok } from '../support/client';
import { smallTree } from '../support/factories';
import { login, unitGid, userWith, PASSWORD } from '../support/accounts';
import { toGlobalId } from '../../src/common/global-id';
import { holdLocks } from '../support/locks';

let t: TestApp;
const tok: Record<string, string> = {};
const ids: Record<string, { id: number; gid: string; username: string }> = {};

const CREATE_USER = `mutation($u: String!, $h: ID!) { createUser(input: { username: $u, displayName: "Người dùng", password: "${PASSWORD}", homeUnitId: $h }) { principal { id username homeUnit { code } } } }`;
const GRANT = `mutation($p: ID!, $r: Role!, $u: ID) { grantRole(input: { principalId: $p, role: $r, unitId: $u }) { grant { id role unit { code } } } }`;
const PRINCIPAL = `query($id: ID!) { principal(id: $id) { id username grants { role unit { code } } } }`;
const DISABLE = `mutation($p: ID!) { disablePrincipal(input: { principalId: $p }) { principal { status } } }`;
const REVOKE = `mutation($g: ID!) { revokeRole(input: { grantId: $g }) { revokedGrantId } }`;

const grantCount = async () => Number((await t.sql<{ n: string }>('select count(*) as n from "grant"'))[0].n);

beforeAll(async () => {
  t = await startTestApp();
  await smallTree(t);
  const actors: [string, string | undefined, { role: any; unit: string }[]][] = [
    ['sa', undefined, [{ role: 'SYSTEM_ADMIN', unit: '*' }]],
    ['sa2', undefined, [{ role: 'SYSTEM_ADMIN', unit: '*' }]],
    ['adminP1', 'P1', [{ role: 'ADMIN', unit: 'P1' }]],
    ['adminD1', 'D1', [{ role: 'ADMIN', unit: 'D1' }]],
    ['adminD2', 'D2', [{ role: 'ADMIN', unit: 'D2' }]],
  ];
  for (const [name, home, grants] of actors) {
    ids[name] = await userWith(t, { username: name.toLowerCase(), home, grants });
    tok[name] = (await login(t, ids[name].username)).accessToken;
  }
});
afterAll(() => t?.close());

describe('managing principals inside a subtree', () => {
  /** A user adminD1 manages (home C1, no grants), made for one test so no test depends on another. */
  const managedUser = async () => (await userWith(t, { home: 'C1' })).gid;

  it('an ADMIN creates a user at a unit of its subtree; a sibling ADMIN cannot see it', async () => {
    const res = ok(await gql(t, CREATE_USER, { u: 'officer.c1', h: await unitGid(t, 'C1') }, tok.adminD1)).createUser.principal;
    expect(res.homeUnit.code).toBe('C1');
    const created = res.id;
    ok(await gql(t, PRINCIPAL, { id: created }, tok.adminP1));
    expect(codeOf(await gql(t, PRINCIPAL, { id: created }, tok.adminD2))).toBe('NOT_FOUND');
    expect(codeOf(await gql(t, `query($id: ID!) { node(id: $id) { id } }`, { id: created }, tok.adminD2))).toBe('NOT_FOUND');
    const list = ok(await gql(t, `{ principals(first: 100) { totalCount nodes { username } } }`, {}, tok.adminD2)).principals;
    expect(list.nodes.map((n: any) => n.username)).toEqual(['admind2']);
  });

  it('refuses creating users at units outside the subtree (NOT_FOUND) and writes nothing', async () => {
    const before = await t.sql('select id from principal');
    expect(codeOf(await gql(t, CREATE_USER, { u: 'intruder', h: await unitGid(t, 'D2') }, tok.adminD1))).toBe('NOT_FOUND');
    expect(codeOf(await gql(t, CREATE_USER, { u: 'intruder', h: await unitGid(t, 'C3') }, tok.adminP1))).toBe('NOT_FOUND');
    expect(await t.sql('select id from principal')).toHaveLength(before.length);
  });

  it('grants roles below its own power inside its subtree', async () => {
    const created = await managedUser();
    ok(await gql(t, GRANT, { p: created, r: 'OFFICER', u: await unitGid(t, 'C1') }, tok.adminD1));
    ok(await gql(t, GRANT, { p: created, r: 'ADMIN', u: await unitGid(t, 'C1') }, tok.adminD1));
    ok(await gql(t, GRANT, { p: created, r: 'VIEWER', u: await unitGid(t, 'D1') }, tok.adminD1));
    const p = ok(await gql(t, PRINCIPAL, { id: created }, tok.adminD1)).principal;
    expect(p.grants.map((g: any) => `${g.role}@${g.unit.code}`).sort()).toEqual(['ADMIN@C1', 'OFFICER@C1', 'VIEWER@D1']);
  });

  it('refuses escalation: ADMIN at its own unit, SYSTEM_ADMIN, or a unit it cannot see; nothing written', async () => {
    const created = await managedUser();
    const n = await grantCount();
    expect(codeOf(await gql(t, GRANT, { p: created, r: 'ADMIN', u: await unitGid(t, 'D1') }, tok.adminD1))).toBe('FORBIDDEN');
    expect(codeOf(await gql(t, GRANT, { p: created, r: 'SYSTEM_ADMIN' }, tok.adminD1))).toBe('FORBIDDEN');
    expect(codeOf(await gql(t, GRANT, { p: created, r: 'SYSTEM_ADMIN' }, tok.adminP1))).toBe('FORBIDDEN');
    expect(codeOf(await gql(t, GRANT, { p: created, r: 'VIEWER', u: await unitGid(t, 'D2') }, tok.adminD1))).toBe('NOT_FOUND');
    expect(codeOf(await gql(t, GRANT, { p: created, r: 'VIEWER', u: await unitGid(t, 'C3') }, tok.adminP1))).toBe('NOT_FOUND');
    expect(await grantCount()).toBe(n);
  });

  it('a principal holding any grant outside the subtree is invisible to that ADMIN', async () => {
    const spread = await userWith(t, { home: 'D1', grants: [{ role: 'VIEWER', unit: 'D1' }, { role: 'VIEWER', unit: 'D3' }] });
    expect(codeOf(await gql(t, PRINCIPAL, { id: spread.gid }, tok.adminD1))).toBe('NOT_FOUND');
    expect(codeOf(await gql(t, PRINCIPAL, { id: spread.gid }, tok.adminP1))).toBe('NOT_FOUND');
    expect(codeOf(await gql(t, GRANT, { p: spread.gid, r: 'OFFICER', u: await unitGid(t, 'C1') }, tok.adminD1))).toBe('NOT_FOUND');
    expect(codeOf(await gql(t, DISABLE, { p: spread.gid }, tok.adminP1))).toBe('NOT_FOUND');
    ok(await gql(t, PRINCIPAL, { id: spread.gid }, tok.sa));
    // An ADMIN above sees the ADMIN below, not the other way round.
    ok(await gql(t, PRINCIPAL, { id: ids.adminD1.gid }, tok.adminP1));
    expect(codeOf(await gql(t, PRINCIPAL, { id: ids.adminP1.gid }, tok.adminD1))).toBe('NOT_FOUND');
  });

  it('nobody changes their own grants or disables themselves', async () => {
    const n = await grantCount();
    expect(codeOf(await gql(t, GRANT, { p: ids.adminP1.gid, r: 'VIEWER', u: await unitGid(t, 'D1') }, tok.adminP1))).toBe('FORBIDDEN');
    const [own] = await t.sql<{ id: number }>('select id from "grant" where principal_id = $1', [ids.adminP1.id]);
    expect(codeOf(await gql(t, REVOKE, { g: toGlobalId('Grant', own.id) }, tok.adminP1))).toBe('FORBIDDEN');
    expect(codeOf(await gql(t, DISABLE, { p: ids.sa.gid }, tok.sa))).toBe('FORBIDDEN');
    expect(await grantCount()).toBe(n);
  });

  it('revokeRole takes effect; ADMIN grants strictly below only are revocable by that ADMIN', async () => {
    const target = await userWith(t, { home: 'D1', grants: [{ role: 'VIEWER', unit: 'C1' }] });
    const [g] = await t.sql<{ id: number }>('select id from "grant" where principal_id = $1', [target.id]);
    const res = ok(await gql(t, REVOKE, { g: toGlobalId('Grant', g.id) }, tok.adminD1)).revokeRole;
    expect(res.revokedGrantId).toBe(toGlobalId('Grant', g.id));
    const [adminGrant] = await t.sql<{ id: number }>('select id from "grant" where principal_id = $1', [ids.adminD1.id]);
    expect(codeOf(await gql(t, REVOKE, { g: toGlobalId('Grant', adminGrant.id) }, tok.adminD2))).toBe('NOT_FOUND');
  });

  it('me lists grants with units and permissions', async () => {
    const me = ok(await gql(t, `{ me { principal { username grants { role unit { code } } } permissions } }`, {}, tok.adminD1)).me;
    expect(me.principal.grants).toEqual([{ role: 'ADMIN', unit: { code: 'D1' } }]);
    expect(me.permissions).toEqual(expect.arrayContaining(['read:Unit', 'update:Unit', 'grant:Principal', 'create:Grant', 'read:AuditEntry']));
    expect(me.permissions).not.toContain('create:Metric');
    const sa = ok(await gql(t, `{ me { principal { grants { role unit { code } } } } }`, {}, tok.sa)).me;
    expect(sa.principal.grants).toEqual([{ role: 'SYSTEM_ADMIN', unit: null }]);
  });
});

describe('audit log', () => {
  it('is scoped by unit path; SYSTEM_ADMIN also sees national entries', async () => {
    const Q = `query($a: String) { auditLog(action: $a, first: 100) { totalCount nodes { action unit { code } principalId } } }`;
    const d1 = ok(await gql(t, Q, { a: 'principal.create_user' }, tok.adminD1)).auditLog;
    expect(d1.nodes.map((n: any) => n.unit.code)).toEqual(['C1']);
    expect(ok(await gql(t, Q, { a: 'principal.create_user' }, tok.adminD2)).auditLog.totalCount).toBe(0);
    const national = ok(await gql(t, Q, { a: 'auth.login' }, tok.sa)).auditLog.nodes;
    expect(national.some((n: any) => n.unit === null)).toBe(true);
    expect(ok(await gql(t, Q, { a: 'auth.login' }, tok.adminP1)).auditLog.nodes.every((n: any) => n.unit !== null)).toBe(true);
    const officer = await userWith(t, { home: 'D1', grants: [{ role: 'OFFICER', unit: 'D1' }] });
    expect(codeOf(await gql(t, Q, {}, (await login(t, officer.username)).accessToken))).toBe('FORBIDDEN');
  });

  it('shows global ids (never database ids) inside before/after', async () => {
    const Q = `{ auditLog(action: "principal.create_user", first: 1) { nodes { objectId after } } }`;
    const [entry] = ok(await gql(t, Q, {}, tok.adminD1)).auditLog.nodes;
    expect(entry.after.homeUnitId).toBe(await unitGid(t, 'C1'));
    const created = ok(await gql(t, `query($id: ID!) { node(id: $id) { ... on Principal { username } } }`, { id: entry.objectId }, tok.adminD1));
    expect(created.node.username).toBe(entry.after.username);
    const moved = `{ auditLog(action: "grant.create", first: 1) { nodes { after } } }`;
    const [grant] = ok(await gql(t, moved, {}, tok.sa)).auditLog.nodes;
    expect(Buffer.from(grant.after.principalId, 'base64url').toString()).toMatch(/^Principal:\d+$/);
  });
});

describe('the last SYSTEM_ADMIN', () => {
  /*
   * Each test starts from exactly two active SYSTEM_ADMINs of its own (every other one is disabled first), and
   * lines both requests up behind a held lock on both accounts, so they meet inside their transactions on every
   * run: one wins, the other finds itself about to remove the last SYSTEM_ADMIN (CONFLICT).
   */
  const activeAdmins = async () =>
    (await t.sql<{ id: number }>(`select distinct p.id from principal p join "grant" g on g.principal_id = p.id where g.role = 'SYSTEM_ADMIN' and p.status = 'ACTIVE'`)).map((r) => r.id);

  async function twoSystemAdmins() {
    await t.sql(`update principal set status = 'DISABLED' where id in (select principal_id from "grant" where role = 'SYSTEM_ADMIN')`);
    const a = await userWith(t, { grants: [{ role: 'SYSTEM_ADMIN', unit: '*' }] });
    const b = await userWith(t, { grants: [{ role: 'SYSTEM_ADMIN', unit: '*' }] });
    const [ta, tb] = [(await login(t, a.username)).accessToken, (await login(t, b.username)).accessToken];
    expect(await activeAdmins()).toEqual([a.id, b.id].sort((x, y) => x - y));
    return { a, b, ta, tb };
  }

  async function atOnce(principalIds: number[], send: (() => ReturnType<typeof gql>)[]) {
    const held = await holdLocks(t, [['select 1 from principal where id = any($1) for update', [principalIds]]]);
    const requests = send.map((s) => s());
    await held.waiters(requests.length);
    await held.release();
    return (await Promise.all(requests)).map(codeOf);
  }

  it('two SYSTEM_ADMINs disabling each other at once leave one active', async () => {
    const { a, b, ta, tb } = await twoSystemAdmins();
    const codes = await atOnce([a.id, b.id], [() => gql(t, DISABLE, { p: b.gid }, ta), () => gql(t, DISABLE, { p: a.gid }, tb)]);
    expect(codes.sort()).toEqual(['CONFLICT', undefined]);
    expect(await activeAdmins()).toHaveLength(1);
  });

  it("two SYSTEM_ADMINs revoking each other's SYSTEM_ADMIN grant at once leave one", async () => {
    const { a, b, ta, tb } = await twoSystemAdmins();
    const grantOf = async (id: number) => toGlobalId('Grant', (await t.sql<{ id: number }>(`select id from "grant" where principal_id = $1`, [id]))[0].id);
    const [ga, gb] = [await grantOf(a.id), await grantOf(b.id)];
    const codes = await atOnce([a.id, b.id], [() => gql(t, REVOKE, { g: gb }, ta), () => gql(t, REVOKE, { g: ga }, tb)]);
    expect(codes.sort()).toEqual(['CONFLICT', undefined]);
    expect(await activeAdmins()).toHaveLength(1);
  });
});
