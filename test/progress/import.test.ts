import { startTestApp, type TestApp } from '../support/app';
import { gql, codeOf, ok } from '../support/client';
import { principalWith, type TestPrincipal } from '../support/principals';
import { gridTree, IMPORT, PROGRESS, progressTables, recomputed, unitId } from './support';

let t: TestApp;
let officerA: TestPrincipal;
let admin: TestPrincipal;

beforeAll(async () => {
  t = await startTestApp();
  await gridTree(t, ['A', 'B'], 2, 2, 3);
  admin = await principalWith(t, [{ role: 'SYSTEM_ADMIN', unit: 'A' }]);
  officerA = await principalWith(t, [{ role: 'OFFICER', unit: 'A' }]);
});
afterAll(() => t?.close());

const hamletsOf = (p: string) => [1, 2].flatMap((d) => ['a', 'b'].flatMap((c) => [1, 2, 3].map((h) => `${p}${d}${c}-${h}`)));

function goodRows() {
  const rows: { unitCode: string; metric: string; asOf: string; value: number }[] = [];
  hamletsOf('A').forEach((code, i) => {
    for (const [day, k] of [['2023-06-01', 1], ['2023-06-15', 2], ['2023-06-30', 3]] as const) {
      rows.push({ unitCode: code, metric: 'eid.collected', asOf: day, value: (i + 1) * 10 * k });
      rows.push({ unitCode: code, metric: 'eid.activated', asOf: day, value: (i + 1) * 4 * k });
    }
  });
  return rows;
}

describe('importProgress', () => {
  it('dry run validates and writes nothing', async () => {
    const before = await progressTables(t);
    const r = ok(await gql(t, IMPORT, { input: { rows: goodRows(), dryRun: true } }, officerA.token));
    expect(r.importProgress).toEqual({ rows: 72, changed: 72, unchanged: 0, dryRun: true });
    expect(await progressTables(t)).toBe(before);
  });

  it('reports every bad row with its row number and writes nothing', async () => {
    const rows = goodRows();
    rows.push({ unitCode: 'B1a-1', metric: 'eid.collected', asOf: '2023-06-01', value: 5 }); // 73: outside jurisdiction
    rows.push({ unitCode: 'A1a', metric: 'eid.collected', asOf: '2023-06-01', value: 5 }); // 74: not a hamlet
    rows.push({ unitCode: 'A1a-1', metric: 'eid.nope', asOf: '2023-06-01', value: 5 }); // 75: unknown metric
    rows.push({ unitCode: 'A1a-1', metric: 'eid.approved', asOf: '2099-01-01', value: 5 }); // 76: future
    rows.push({ unitCode: 'A1a-1', metric: 'eid.collected', asOf: '2023-06-01', value: 11 }); // 77: conflicts with row 1
    rows.push({ unitCode: 'A1a-2', metric: 'eid.collected', asOf: '2023-06-20', value: 1 }); // 78: lower than 06-15
    rows.push({ unitCode: 'A1a-3', metric: 'eid.activated', asOf: '2023-07-05', value: 999 }); // 79: above collected that day
    rows.push({ unitCode: 'A1b-1', metric: 'eid.collected', asOf: '2023-06-10', value: -3 }); // 80: negative
    const before = await progressTables(t);
    const r = await gql(t, IMPORT, { input: { rows } }, officerA.token);
    expect(codeOf(r)).toBe('BAD_USER_INPUT');
    const problemRows = [...new Set<number>(r.errors![0].extensions.problems.map((p: { row: number }) => p.row))].sort((a, b) => a - b);
    expect(problemRows).toEqual([73, 74, 75, 76, 77, 78, 79, 80]);
    expect(r.errors![0].extensions.fieldPaths).toContain('input.rows.72.unitCode');
    expect(await progressTables(t)).toBe(before);
  });

  it('writes all rows atomically, rolls them up exactly, and a re-import changes nothing', async () => {
    const r = ok(await gql(t, IMPORT, { input: { rows: goodRows() } }, officerA.token));
    expect(r.importProgress).toEqual({ rows: 72, changed: 72, unchanged: 0, dryRun: false });
    const days = ['2023-05-31', '2023-06-01', '2023-06-14', '2023-06-15', '2023-06-30', '2023-07-01'];
    const truth = await recomputed(t, days);
    const ids = Object.fromEntries((await t.sql<{ id: number; code: string }>('select id, code from admin_unit')).map((u) => [u.code, u.id]));
    for (const code of ['A', 'A1', 'A2b', 'A2b-3']) {
      const id = await unitId(t, code, admin.token);
      for (const d of days) {
        const fig = ok(await gql(t, PROGRESS, { id, m: 'eid.collected', d }, admin.token)).unit.progress;
        expect(fig.value).toBe(truth.get(`${ids[code]}|eid.collected|${d}`)!.value);
      }
    }
    const province = ok(await gql(t, PROGRESS, { id: await unitId(t, 'A', admin.token), m: 'eid.collected', d: '2023-06-30' }, admin.token)).unit.progress;
    expect(province).toMatchObject({ value: ((12 * 13) / 2) * 30, reportingUnits: 12, reportedUnits: 12 });
    const before = await progressTables(t);
    const again = ok(await gql(t, IMPORT, { input: { rows: goodRows() } }, officerA.token));
    expect(again.importProgress).toEqual({ rows: 72, changed: 0, unchanged: 72, dryRun: false });
    expect(await progressTables(t)).toBe(before);
    expect(await t.sql(`select 1 from audit_entry where action = 'progress.import'`)).toHaveLength(1);
  });

  it('refuses more than 10,000 rows, and viewers', async () => {
    const viewer = await principalWith(t, [{ role: 'VIEWER', unit: 'A' }]);
    expect(codeOf(await gql(t, IMPORT, { input: { rows: goodRows().slice(0, 1) } }, viewer.token))).toBe('FORBIDDEN');
    const many = Array.from({ length: 10_001 }, () => goodRows()[0]);
    const r = await gql(t, IMPORT, { input: { rows: many } }, officerA.token);
    expect(codeOf(r)).toBe('BAD_USER_INPUT');
  });
});
