import { startTestApp, type TestApp } from './support/app';
import { gql, codeOf, ok } from './support/client';
import { principalWith, type TestPrincipal } from './support/principals';
import { smallTree } from './support/factories';
import { toGlobalId } from '../src/common/global-id';
import { addDays } from '../src/common/dates';
import { todayInVietnam } from '../src/common/scalars';

let t: TestApp;
let ids: Record<string, number>;
let sysadmin: TestPrincipal;
let p1Admin: TestPrincipal;
let d1Admin: TestPrincipal;
let p1Officer: TestPrincipal;

const gid = (code: string) => toGlobalId('Unit', ids[code]);
const unitRow = async (code: string) => (await t.sql(`select code, name, kind, parent_id, path::text, valid_to from admin_unit where code = $1`, [code]))[0];
const auditCount = async () => Number((await t.sql<{ n: string }>(`select count(*) as n from audit_entry`))[0].n);

beforeAll(async () => {
  t = await startTestApp();
  ids = await smallTree(t);
  sysadmin = await principalWith(t, [{ role: 'SYSTEM_ADMIN', unit: 'P1' }]);
  p1Admin = await principalWith(t, [{ role: 'ADMIN', unit: 'P1' }]);
  d1Admin = await principalWith(t, [{ role: 'ADMIN', unit: 'D1' }]);
  p1Officer = await principalWith(t, [{ role: 'OFFICER', unit: 'P1' }]);
});
afterAll(() => t?.close());

const CREATE = `mutation($input: CreateUnitInput!) { createUnit(input: $input) { unit { id code name kind level ancestors { code } } } }`;

describe('createUnit', () => {
  it('creates a hamlet with a code derived from its commune, NFC-normalised, audited', async () => {
    const before = await auditCount();
    const name = 'Thôn Hòa Bình'.normalize('NFD');
    const { createUnit } = ok(await gql(t, CREATE, { input: { parentId: gid('C1'), name, kind: 'Thôn', level: 'HAMLET' } }, d1Admin.token));
    expect(createUnit.unit).toMatchObject({ code: 'C1-01', name: 'Thôn Hòa Bình'.normalize('NFC'), kind: 'thôn', level: 'HAMLET' });
    expect(createUnit.unit.ancestors.map((a: any) => a.code)).toEqual(['P1', 'D1', 'C1']);
    expect(await auditCount()).toBe(before + 1);
  });

  it('refuses impossible placements and bad fields, naming them, writing nothing', async () => {
    const before = await auditCount();
    const r = await gql(t, CREATE, { input: { parentId: gid('D1'), name: ' ', kind: 'thôn', level: 'HAMLET' } }, d1Admin.token);
    expect(codeOf(r)).toBe('BAD_USER_INPUT');
    expect(r.errors![0].extensions.fieldPaths).toEqual(expect.arrayContaining(['input.name', 'input.level']));
    expect(await auditCount()).toBe(before);
  });

  it('allows a commune directly under a province (2025 structure)', async () => {
    const { createUnit } = ok(await gql(t, CREATE, { input: { parentId: gid('P1'), code: '99999', name: 'Phường Mới', kind: 'phường', level: 'COMMUNE' } }, p1Admin.token));
    expect(createUnit.unit.ancestors.map((a: any) => a.code)).toEqual(['P1']);
  });

  it('lets only SYSTEM_ADMIN create provinces; an ADMIN cannot create beside itself; duplicates conflict', async () => {
    const province = { code: 'P9', name: 'Tỉnh Mới', kind: 'tỉnh', level: 'PROVINCE' };
    expect(codeOf(await gql(t, CREATE, { input: province }, p1Admin.token))).toBe('FORBIDDEN');
    ok(await gql(t, CREATE, { input: province }, sysadmin.token));
    expect(codeOf(await gql(t, CREATE, { input: province }, sysadmin.token))).toBe('CONFLICT');
    // D1's admin may not add a district to P1 (not strictly below D1), and cannot see P2 at all.
    const district = { parentId: gid('P1'), code: 'D9', name: 'Huyện Mới', kind: 'huyện', level: 'DISTRICT' };
    expect(codeOf(await gql(t, CREATE, { input: district }, d1Admin.token))).toBe('NOT_FOUND');
    expect(codeOf(await gql(t, CREATE, { input: { ...district, parentId: gid('P2') } }, p1Admin.token))).toBe('NOT_FOUND');
    expect(codeOf(await gql(t, CREATE, { input: { ...district, parentId: gid('P1') } }, p1Officer.token))).toBe('FORBIDDEN');
    expect(await unitRow('D9')).toBeUndefined();
  });
});

describe('updateUnit', () => {
  const UPDATE = `mutation($input: UpdateUnitInput!) { updateUnit(input: $input) { unit { name kind eligibleCitizens } } }`;
  it('renames strictly below the admin unit, and refuses the admin unit itself', async () => {
    const r = ok(await gql(t, UPDATE, { input: { id: gid('C2'), name: 'Xã Tam Xuân II', eligibleCitizens: 4200 } }, d1Admin.token));
    expect(r.updateUnit.unit).toEqual({ name: 'Xã Tam Xuân II', kind: 'xã', eligibleCitizens: 4200 });
    expect(codeOf(await gql(t, UPDATE, { input: { id: gid('D1'), name: 'Renamed' } }, d1Admin.token))).toBe('FORBIDDEN');
    expect(codeOf(await gql(t, UPDATE, { input: { id: gid('C3'), name: 'Renamed' } }, d1Admin.token))).toBe('NOT_FOUND');
    expect(codeOf(await gql(t, UPDATE, { input: { id: 'not-an-id', name: 'x' } }, d1Admin.token))).toBe('NOT_FOUND');
    expect((await unitRow('D1')).name).toBe('Huyện Núi Thành');
    expect((await unitRow('C3')).name).toBe('Xã Bắc Sơn');
  });
});

describe('moveUnit', () => {
  const MOVE = `mutation($input: MoveUnitInput!) { moveUnit(input: $input) { movedUnits unit { ancestors { code } } } }`;
  it('re-parents a whole subtree in one statement, keeping every path consistent', async () => {
    const r = ok(await gql(t, MOVE, { input: { id: gid('C1'), newParentId: gid('D2') } }, p1Admin.token));
    expect(r.moveUnit.movedUnits).toBeGreaterThanOrEqual(3);
    expect(r.moveUnit.unit.ancestors.map((a: any) => a.code)).toEqual(['P1', 'D2']);
    const [{ bad }] = await t.sql<{ bad: number }>(
      `select count(*)::int as bad from admin_unit c left join admin_unit p on p.id = c.parent_id
        where c.path <> (coalesce(p.path::text || '.', '') || c.id)::ltree`,
    );
    expect(bad).toBe(0);
    expect((await unitRow('H1')).path).toBe(`${ids.P1}.${ids.D2}.${ids.C1}.${ids.H1}`);
  });

  it('refuses cycles, wrong levels and moves out of jurisdiction', async () => {
    expect(codeOf(await gql(t, MOVE, { input: { id: gid('D2'), newParentId: gid('C1') } }, p1Admin.token))).toBe('BAD_USER_INPUT');
    expect(codeOf(await gql(t, MOVE, { input: { id: gid('H1'), newParentId: gid('D1') } }, p1Admin.token))).toBe('BAD_USER_INPUT');
    expect(codeOf(await gql(t, MOVE, { input: { id: gid('C1'), newParentId: gid('D3') } }, p1Admin.token))).toBe('NOT_FOUND');
    expect((await unitRow('C1')).parent_id).toBe(ids.D2);
  });
});

describe('retireUnit', () => {
  const RETIRE = `mutation($input: RetireUnitInput!) { retireUnit(input: $input) { retiredUnits unit { retired validTo } } }`;
  it('is refused while active children remain, cascades when asked, and retired units stay readable', async () => {
    // C1 moved today (above): its retirement cannot be dated before that move, so it ends yesterday.
    const yesterday = addDays(todayInVietnam(), -1);
    const r = await gql(t, RETIRE, { input: { id: gid('C1'), validTo: yesterday } }, p1Admin.token);
    expect(codeOf(r)).toBe('CONFLICT');
    expect((await unitRow('C1')).valid_to).toBeNull();
    const done = ok(await gql(t, RETIRE, { input: { id: gid('C1'), validTo: yesterday, cascade: true } }, p1Admin.token));
    expect(done.retireUnit).toMatchObject({ retiredUnits: 4, unit: { retired: true, validTo: yesterday } });
    const list = ok(await gql(t, `{ units(level: HAMLET) { totalCount } all: units(level: HAMLET, includeRetired: true) { totalCount } }`, {}, sysadmin.token));
    expect(list.units.totalCount).toBe(0);
    expect(list.all.totalCount).toBeGreaterThanOrEqual(2);
    expect(ok(await gql(t, `query($id: ID!) { unit(id: $id) { retired } }`, { id: gid('H1') }, sysadmin.token)).unit.retired).toBe(true);
  });
});
