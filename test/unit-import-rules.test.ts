import { startTestApp, type TestApp } from './support/app';
import { gql, codeOf, ok } from './support/client';
import { principalWith, type TestPrincipal } from './support/principals';
import { insertUnits } from './support/factories';
import { holdLocks } from './support/locks';
import { IMPORT as IMPORT_PROGRESS, rollupMismatches, unitId } from './progress/support';
import { todayInVietnam } from '../src/common/scalars';

/*
 * The rules of importUnits on a small GSO-coded tree: the file's shape is decided once, every bad row is reported,
 * only changes need the right to change, and moves happen only when asked for.
 *
 *   91 Tỉnh A ─ 911 Huyện A1 ─ 91101 Xã A1a (hamlet 91101-1), 91102 Xã A1b
 *             └ 912 Huyện A2 ─ 91201 Xã A2a
 *   92 Tỉnh B ─ 921 Huyện B1 ─ 92101 Xã B1a
 */
let t: TestApp;
let sys: TestPrincipal;
let adminA: TestPrincipal;

const IMPORT = `mutation($input: ImportUnitsInput!) { importUnits(input: $input) {
  created updated unchanged dryRun levels moves { code name level fromParentCode toParentCode row } } }`;
const HEADER = 'province_code,province_name,province_type,district_code,district_name,district_type,commune_code,commune_name,commune_type';
const csvOf = (...rows: string[]) => [HEADER, ...rows].join('\n');
const A1a = '91,Tỉnh A,Tỉnh,911,Huyện A1,Huyện,91101,Xã A1a,Xã';
const A1b = '91,Tỉnh A,Tỉnh,911,Huyện A1,Huyện,91102,Xã A1b,Xã';
const A2a = '91,Tỉnh A,Tỉnh,912,Huyện A2,Huyện,91201,Xã A2a,Xã';

const tree = async () => JSON.stringify(await t.sql(`select code, name, parent_id, path::text from admin_unit order by code`));
const rowsOf = (r: Awaited<ReturnType<typeof gql>>) => r.errors?.[0]?.extensions?.problems?.map((p: { row: number }) => p.row);
const parentOf = async (code: string) => (await t.sql<{ p: string }>(`select p.code as p from admin_unit u join admin_unit p on p.id = u.parent_id where u.code = $1`, [code]))[0].p;

beforeAll(async () => {
  t = await startTestApp();
  await insertUnits(t, [
    { code: '91', name: 'Tỉnh A', kind: 'tỉnh', level: 'PROVINCE' },
    { code: '92', name: 'Tỉnh B', kind: 'tỉnh', level: 'PROVINCE' },
    { code: '911', name: 'Huyện A1', kind: 'huyện', level: 'DISTRICT', parent: '91' },
    { code: '912', name: 'Huyện A2', kind: 'huyện', level: 'DISTRICT', parent: '91' },
    { code: '921', name: 'Huyện B1', kind: 'huyện', level: 'DISTRICT', parent: '92' },
    { code: '91101', name: 'Xã A1a', kind: 'xã', level: 'COMMUNE', parent: '911' },
    { code: '91102', name: 'Xã A1b', kind: 'xã', level: 'COMMUNE', parent: '911' },
    { code: '91201', name: 'Xã A2a', kind: 'xã', level: 'COMMUNE', parent: '912' },
    { code: '92101', name: 'Xã B1a', kind: 'xã', level: 'COMMUNE', parent: '921' },
    { code: '91101-1', name: 'Thôn 1', kind: 'thôn', level: 'HAMLET', parent: '91101' },
  ]);
  sys = await principalWith(t, [{ role: 'SYSTEM_ADMIN', unit: '91' }]);
  adminA = await principalWith(t, [{ role: 'ADMIN', unit: '91' }]);
});
afterAll(() => t?.close());

describe('the shape of the file, decided once', () => {
  it('3 levels when a row names a district: a row with an empty district is an error, not a commune under its province', async () => {
    const before = await tree();
    const res = await gql(t, IMPORT, { input: { csv: csvOf(A1a, '91,Tỉnh A,Tỉnh,,,,91199,Xã Lạc,Xã') } }, sys.token);
    expect(codeOf(res)).toBe('BAD_USER_INPUT');
    expect(rowsOf(res)).toEqual([3]);
    expect(res.errors![0].message).toMatch(/3-level/);
    expect(await tree()).toBe(before);
  });

  it('2 levels when no row names a district (district columns absent or all empty); the payload says which', async () => {
    const absent = ok(await gql(t, IMPORT, { input: { csv: 'province_code,province_name,commune_code,commune_name,commune_type\n93,Tỉnh C,93001,Phường C,Phường', dryRun: true } }, sys.token));
    expect(absent.importUnits).toMatchObject({ created: 2, levels: 2 });
    const empty = ok(await gql(t, IMPORT, { input: { csv: csvOf('93,Tỉnh C,Tỉnh,,,,93001,Phường C,Phường'), dryRun: true } }, sys.token));
    expect(empty.importUnits).toMatchObject({ created: 2, levels: 2 });
    expect(ok(await gql(t, IMPORT, { input: { csv: csvOf(A1a), dryRun: true } }, sys.token)).importUnits).toMatchObject({ unchanged: 3, levels: 3 });
  });
});

describe('every bad row at once', () => {
  it('reports malformed rows, rows the shape forbids and rows outside the caller’s reach together; nothing written', async () => {
    const before = await tree();
    const res = await gql(t, IMPORT, {
      input: {
        csv: csvOf(
          '91,Tỉnh A,Tỉnh,911,Huyện A1,Huyện,91103,Xã Mới,Xã', // fine on its own
          '91,Tỉnh A,Tỉnh,9x1,Huyện Sai,Huyện,91104,Xã Hai,Xã', // malformed code
          '91,Tỉnh A,Tỉnh,,,,91105,Xã Ba,Xã', // no district in a 3-level file
          '92,Tỉnh B,Tỉnh,921,Huyện B1,Huyện,92102,Xã Bốn,Xã', // a new commune in another province
          '91,Tỉnh A đổi tên,Tỉnh,912,Huyện A2,Huyện,91201,Xã A2a,Xã', // renames the ADMIN's own province
        ),
      },
    }, adminA.token);
    expect(codeOf(res)).toBe('BAD_USER_INPUT');
    expect([...new Set(rowsOf(res))]).toEqual([3, 4, 5, 6]);
    expect(await tree()).toBe(before);
  });
});

describe('a province ADMIN imports its own province', () => {
  it('unchanged ancestors pass; changes inside its subtree are made', async () => {
    const res = ok(await gql(t, IMPORT, { input: { csv: csvOf(A1a, '91,Tỉnh A,Tỉnh,911,Huyện A1,Huyện,91102,Xã A1b mới,Xã', A2a, '91,Tỉnh A,Tỉnh,912,Huyện A2,Huyện,91202,Xã A2b,Xã') } }, adminA.token));
    expect(res.importUnits).toMatchObject({ created: 1, updated: 1, unchanged: 5, levels: 3, moves: [] });
    // A district ADMIN: the province above it is an unchanged ancestor, its own district an unchanged unit it sees.
    const adminA1 = await principalWith(t, [{ role: 'ADMIN', unit: '911' }]);
    expect(ok(await gql(t, IMPORT, { input: { csv: csvOf('91,Tỉnh A,Tỉnh,911,Huyện A1,Huyện,91102,Xã A1b,Xã') } }, adminA1.token)).importUnits).toMatchObject({ updated: 1, unchanged: 2 });
  });

  it('refuses what lies outside: an unchanged unit of another province (reveals nothing) and a move out of its subtree', async () => {
    const before = await tree();
    const other = await gql(t, IMPORT, { input: { csv: csvOf('92,Tỉnh B,Tỉnh,921,Huyện B1,Huyện,92101,Xã B1a,Xã') } }, adminA.token);
    expect(rowsOf(other)).toEqual([2, 2, 2]);
    const away = await gql(t, IMPORT, { input: { csv: csvOf('92,Tỉnh B,Tỉnh,921,Huyện B1,Huyện,91201,Xã A2a,Xã'), allowMoves: true } }, adminA.token);
    expect(codeOf(away)).toBe('BAD_USER_INPUT');
    expect(away.errors![0].extensions.problems.map((p: { message: string }) => p.message).join(' ')).toMatch(/91201 lies outside/);
    expect(await tree()).toBe(before);
  });
});

describe('moves', () => {
  const typo = csvOf('91,Tỉnh A,Tỉnh,912,Huyện A2,Huyện,91102,Xã A1b,Xã'); // 91102 is under 911

  it('a dry run lists every move; a real run without allowMoves is refused naming each moving row, and writes nothing', async () => {
    const dry = ok(await gql(t, IMPORT, { input: { csv: typo, dryRun: true } }, sys.token)).importUnits;
    expect(dry.moves).toEqual([{ code: '91102', name: 'Xã A1b', level: 'COMMUNE', fromParentCode: '911', toParentCode: '912', row: 2 }]);
    const before = await tree();
    const refused = await gql(t, IMPORT, { input: { csv: typo } }, sys.token);
    expect(codeOf(refused)).toBe('BAD_USER_INPUT');
    expect(refused.errors![0].extensions.problems).toEqual([expect.objectContaining({ row: 2, path: ['input', 'allowMoves'] })]);
    expect(await tree()).toBe(before);
  });

  it('with allowMoves: true the unit moves', async () => {
    const res = ok(await gql(t, IMPORT, { input: { csv: typo, allowMoves: true } }, sys.token)).importUnits;
    expect(res).toMatchObject({ updated: 1, moves: [expect.objectContaining({ code: '91102' })] });
    expect(await parentOf('91102')).toBe('912');
  });

  it('an import re-parenting a unit and a moveUnit of the same unit take the same tree lock: both happen, rollups stay exact', async () => {
    const days = ['2023-06-01', '2023-06-10', todayInVietnam()];
    const IMPORT_ROWS = { input: { rows: [{ unitCode: '91101-1', metric: 'eid.collected', asOf: '2023-06-01', value: 40 }, { unitCode: '91101-1', metric: 'eid.collected', asOf: '2023-06-10', value: 75 }] } };
    ok(await gql(t, IMPORT_PROGRESS, IMPORT_ROWS, sys.token));
    const MOVE = `mutation($id: ID!, $p: ID!) { moveUnit(input: { id: $id, newParentId: $p }) { movedUnits } }`;
    const [commune, target] = [await unitId(t, '91101', sys.token), await unitId(t, '921', sys.token)];
    const held = await holdLocks(t, [[`select 1 from admin_unit where code = '91101' for update`]]);
    const imported = gql(t, IMPORT, { input: { csv: csvOf('91,Tỉnh A,Tỉnh,912,Huyện A2,Huyện,91101,Xã A1a,Xã'), allowMoves: true } }, sys.token);
    await held.waiters(1);
    const moved = gql(t, MOVE, { id: commune, p: target }, sys.token);
    await held.waiters(2);
    await held.release();
    expect(ok(await imported).importUnits.updated).toBe(1);
    expect(ok(await moved).moveUnit.movedUnits).toBe(2);
    expect(await parentOf('91101')).toBe('921');
    expect(await rollupMismatches(t, days)).toEqual([]);
  });
});
