import { startTestApp, type TestApp } from '../support/app';
import { gql, codeOf, ok } from '../support/client';
import { smallTree } from '../support/factories';
import { login, userWith } from '../support/accounts';

let t: TestApp;
const tok: Record<string, string> = {};

const IMPORT = `mutation($csv: String!, $dry: Boolean) { importPrincipals(input: { csv: $csv, dryRun: $dry }) {
  created grantsCreated dryRun principals { username displayName homeUnit { code } grants { role unit { code } } } } }`;
const HEADER = 'username,display_name,email,phone,home_unit_code,password,grants';
const counts = async () => (await t.sql<{ p: number; g: number; a: number }>(
  `select (select count(*)::int from principal) as p, (select count(*)::int from "grant") as g, (select count(*)::int from audit_entry) as a`))[0];

beforeAll(async () => {
  t = await startTestApp();
  await smallTree(t);
  for (const [name, home, role, unit] of [['adminD1', 'D1', 'ADMIN', 'D1'], ['officerD1', 'D1', 'OFFICER', 'D1']] as const) {
    const u = await userWith(t, { username: name.toLowerCase(), home, grants: [{ role, unit }] });
    tok[name] = (await login(t, u.username)).accessToken;
  }
});
afterAll(() => t?.close());

describe('importPrincipals', () => {
  const good = [
    HEADER,
    'can.bo.tamtien,Nguyễn Văn Cán,can@tamtien.gov.vn,0905 000 001,C1,mat-khau-dai-1,OFFICER@C1',
    'xem.tamxuan,"Lê Thị Xem, Tam Xuân",,,C2,mat-khau-dai-2,VIEWER@C2; OFFICER@H1',
  ].join('\n');

  it('a dry run checks everything and writes nothing', async () => {
    const before = await counts();
    const res = ok(await gql(t, IMPORT, { csv: good, dry: true }, tok.adminD1)).importPrincipals;
    expect(res).toEqual({ created: 2, grantsCreated: 3, dryRun: true, principals: [] });
    expect(await counts()).toEqual(before);
  });

  it('creates the accounts with their grants, audited, and they can sign in', async () => {
    const before = await counts();
    const res = ok(await gql(t, IMPORT, { csv: good }, tok.adminD1)).importPrincipals;
    expect(res.created).toBe(2);
    expect(res.principals).toEqual([
      { username: 'can.bo.tamtien', displayName: 'Nguyễn Văn Cán', homeUnit: { code: 'C1' }, grants: [{ role: 'OFFICER', unit: { code: 'C1' } }] },
      { username: 'xem.tamxuan', displayName: 'Lê Thị Xem, Tam Xuân', homeUnit: { code: 'C2' }, grants: expect.arrayContaining([{ role: 'VIEWER', unit: { code: 'C2' } }, { role: 'OFFICER', unit: { code: 'H1' } }]) },
    ]);
    expect(await counts()).toEqual({ p: before.p + 2, g: before.g + 3, a: before.a + 5 });
    const session = await login(t, 'xem.tamxuan', 'mat-khau-dai-2');
    expect(ok(await gql(t, '{ units { nodes { code } } }', {}, session.accessToken)).units.nodes.map((n: { code: string }) => n.code).sort()).toEqual(['C2', 'H1']);
  });

  it('reports every bad row with its row number and writes nothing', async () => {
    const before = await counts();
    const csv = [
      HEADER,
      'ok.user,Người Tốt,,,C1,mat-khau-dai-3,VIEWER@C1',
      'can.bo.tamtien,Trùng,,,C1,mat-khau-dai-4,VIEWER@C1', // taken
      'ok.user,Trùng trong tệp,,,C1,mat-khau-dai-5,VIEWER@C1', // duplicate in file
      'bad name!,Tên,,,C1,mat-khau-dai-6,VIEWER@C1',
      'short.pw,Mật khẩu ngắn,,,C1,short,VIEWER@C1',
      'far.away,Ở xa,,,C3,mat-khau-dai-7,VIEWER@C3', // outside the jurisdiction
      'too.high,Quá quyền,,,C1,mat-khau-dai-8,ADMIN@D1', // ADMIN at its own unit
      'leader,Tổ trưởng,,,C1,mat-khau-dai-9,TEAM_LEADER@C1',
      'bad.email,Thư,khong-phai-thu,,C1,mat-khau-dai-0,CHIEF@C1',
      'few,columns',
    ].join('\n');
    const res = await gql(t, IMPORT, { csv }, tok.adminD1);
    expect(codeOf(res)).toBe('BAD_USER_INPUT');
    const rows = [...new Set(res.errors![0].extensions.problems.map((p: { row: number }) => p.row))];
    expect(rows).toEqual([3, 4, 5, 6, 7, 8, 9, 10, 11]);
    expect(res.errors![0].extensions.problems.find((p: { row: number }) => p.row === 7).message).toMatch(/not found in your jurisdiction/);
    expect(await counts()).toEqual(before);
    // the same file as a dry run reports the same problems
    expect(codeOf(await gql(t, IMPORT, { csv, dry: true }, tok.adminD1))).toBe('BAD_USER_INPUT');
  });

  it('an OFFICER may not import accounts (FORBIDDEN); a bad header is reported at row 1', async () => {
    const before = await counts();
    expect(codeOf(await gql(t, IMPORT, { csv: good }, tok.officerD1))).toBe('FORBIDDEN');
    const res = await gql(t, IMPORT, { csv: 'user,name\nx,y' }, tok.adminD1);
    expect(codeOf(res)).toBe('BAD_USER_INPUT');
    expect(res.errors![0].extensions.problems[0].row).toBe(1);
    expect(await counts()).toEqual(before);
  });
});
