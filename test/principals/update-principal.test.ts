import { startTestApp, type TestApp } from '../support/app';
import { gql, codeOf, ok } from '../support/client';
import { smallTree } from '../support/factories';
import { login, unitGid, userWith } from '../support/accounts';

let t: TestApp;
const tok: Record<string, string> = {};
let officer: { id: number; gid: string };
let outsider: { id: number; gid: string };
let p1Officer: { id: number; gid: string };

const UPDATE = `mutation($i: UpdatePrincipalInput!) { updatePrincipal(input: $i) { principal { id displayName email phone homeUnit { code } } } }`;
const row = async (id: number) => (await t.sql('select display_name, email, phone, home_unit_id, updated_at from principal where id = $1', [id]))[0];

beforeAll(async () => {
  t = await startTestApp();
  await smallTree(t);
  for (const [name, home, grants] of [
    ['adminD1', 'D1', [{ role: 'ADMIN', unit: 'D1' }]],
    ['viewerD1', 'D1', [{ role: 'VIEWER', unit: 'D1' }]],
  ] as const) {
    const u = await userWith(t, { username: name.toLowerCase(), home, grants: [...grants] });
    tok[name] = (await login(t, u.username)).accessToken;
  }
  officer = await userWith(t, { home: 'C1', grants: [{ role: 'OFFICER', unit: 'C1' }] });
  outsider = await userWith(t, { home: 'C3', grants: [{ role: 'OFFICER', unit: 'C3' }] });
  p1Officer = await userWith(t, { home: 'D1', grants: [{ role: 'OFFICER', unit: 'P1' }] });
});
afterAll(() => t?.close());

describe('updatePrincipal', () => {
  it('an ADMIN edits names, contact and home unit of an account in its subtree; the change is audited', async () => {
    const c2 = await unitGid(t, 'C2');
    const res = ok(await gql(t, UPDATE, { i: { principalId: officer.gid, displayName: '  Trần  Thị Bình ', email: 'binh@tamtien.gov.vn', phone: '0905 111 222', homeUnitId: c2 } }, tok.adminD1));
    expect(res.updatePrincipal.principal).toEqual({ id: officer.gid, displayName: 'Trần Thị Bình', email: 'binh@tamtien.gov.vn', phone: '0905 111 222', homeUnit: { code: 'C2' } });
    const [entry] = ok(await gql(t, `{ auditLog(action: "principal.update", first: 1) { nodes { objectId before after } } }`, {}, tok.adminD1)).auditLog.nodes;
    expect(entry.objectId).toBe(officer.gid);
    expect(entry.after).toMatchObject({ displayName: 'Trần Thị Bình', homeUnitId: c2 });
    expect(entry.before).toMatchObject({ email: null, homeUnitId: await unitGid(t, 'C1') });
    // omitted fields stay, null clears
    const cleared = ok(await gql(t, UPDATE, { i: { principalId: officer.gid, phone: null } }, tok.adminD1)).updatePrincipal.principal;
    expect(cleared).toMatchObject({ displayName: 'Trần Thị Bình', email: 'binh@tamtien.gov.vn', phone: null });
  });

  it('outside the jurisdiction: NOT_FOUND, nothing written', async () => {
    const before = await row(outsider.id);
    const res = await gql(t, UPDATE, { i: { principalId: outsider.gid, displayName: 'X' } }, tok.adminD1);
    expect(codeOf(res)).toBe('NOT_FOUND');
    expect(await row(outsider.id)).toEqual(before);
    // a principal with a grant above the ADMIN's unit is invisible too
    expect(codeOf(await gql(t, UPDATE, { i: { principalId: p1Officer.gid, displayName: 'X' } }, tok.adminD1))).toBe('NOT_FOUND');
  });

  it('a home unit outside the jurisdiction: NOT_FOUND at homeUnitId; a VIEWER (who cannot read accounts): NOT_FOUND; nothing written', async () => {
    const before = await row(officer.id);
    const res = await gql(t, UPDATE, { i: { principalId: officer.gid, homeUnitId: await unitGid(t, 'C3') } }, tok.adminD1);
    expect(codeOf(res)).toBe('NOT_FOUND');
    expect(res.errors![0].message).toMatch(/homeUnitId/);
    // updatePrincipal names an object (canOnObject): what the caller cannot see is NOT_FOUND whatever its role.
    expect(codeOf(await gql(t, UPDATE, { i: { principalId: officer.gid, displayName: 'X' } }, tok.viewerD1))).toBe('NOT_FOUND');
    expect(await row(officer.id)).toEqual(before);
  });

  it('bad input: every problem reported, nothing written', async () => {
    const before = await row(officer.id);
    const res = await gql(t, UPDATE, { i: { principalId: officer.gid, displayName: '  ', email: 'not-an-address', phone: '1'.repeat(31) } }, tok.adminD1);
    expect(codeOf(res)).toBe('BAD_USER_INPUT');
    expect(res.errors![0].extensions.fieldPaths.sort()).toEqual(['input.displayName', 'input.email', 'input.phone']);
    expect(await row(officer.id)).toEqual(before);
  });
});
