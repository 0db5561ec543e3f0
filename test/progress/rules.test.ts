import { startTestApp, type TestApp } from '../support/app';
import { gql, codeOf, ok } from '../support/client';
import { principalWith, type TestPrincipal } from '../support/principals';
import { gridTree, IMPORT, progressTables, REPORT, unitId } from './support';

/*
 * The rules a write must keep on every day it affects (issue 14), through reportProgress. Each case has its own
 * hamlet, arranged through the API, then a refused write (BAD_USER_INPUT, nothing written) and, where one
 * exists, the accepted form.
 */
let t: TestApp;
let officer: TestPrincipal;
const ids: Record<string, string> = {};

beforeAll(async () => {
  t = await startTestApp();
  await gridTree(t, ['R'], 1, 2, 7);
  officer = await principalWith(t, [{ role: 'OFFICER', unit: 'R' }]);
  for (const c of ['R1a-1', 'R1a-2', 'R1a-3', 'R1a-4', 'R1a-5', 'R1a-6', 'R1b-1', 'R1b-2', 'R1b-3', 'R1b-4', 'R1b-5', 'R1b-6', 'R1b-7']) ids[c] = await unitId(t, c, officer.token);
});
afterAll(() => t?.close());

type Value = { metric: string; value: number };
const report = (code: string, asOf: string, values: Value[], correctionReason?: string) =>
  gql(t, REPORT, { input: { unitId: ids[code], asOf, values, correctionReason } }, officer.token);

async function refused(code: string, asOf: string, values: Value[], message: RegExp, correctionReason?: string): Promise<void> {
  const before = await progressTables(t);
  const r = await report(code, asOf, values, correctionReason);
  expect(codeOf(r)).toBe('BAD_USER_INPUT');
  expect(r.errors![0].extensions.problems.map((p: { message: string }) => p.message).join(' ')).toMatch(message);
  expect(await progressTables(t)).toBe(before);
}

describe('cumulative totals never fall without a correctionReason', () => {
  it('refuses lowering the same day, even when it stays above the previous report', async () => {
    ok(await report('R1a-1', '2023-06-01', [{ metric: 'eid.collected', value: 50 }]));
    ok(await report('R1a-1', '2023-06-10', [{ metric: 'eid.collected', value: 100 }]));
    await refused('R1a-1', '2023-06-10', [{ metric: 'eid.collected', value: 90 }], /lower than the value already reported for 2023-06-10 \(100\)/);
    expect(ok(await report('R1a-1', '2023-06-10', [{ metric: 'eid.collected', value: 90 }], 'đếm trùng')).reportProgress.changed).toBe(1);
  });

  it('refuses a higher value back-dated before a lower one (the series would fall)', async () => {
    ok(await report('R1a-2', '2023-06-10', [{ metric: 'eid.collected', value: 100 }]));
    await refused('R1a-2', '2023-06-05', [{ metric: 'eid.collected', value: 150 }], /higher than the next report \(100 on 2023-06-10\)/);
    ok(await report('R1a-2', '2023-06-05', [{ metric: 'eid.collected', value: 80 }]));
    expect(ok(await report('R1a-2', '2023-06-07', [{ metric: 'eid.collected', value: 150 }], 'báo cáo 10/6 thiếu')).reportProgress.changed).toBe(1);
  });

  it('lets reason metrics go up and down', async () => {
    ok(await report('R1a-3', '2023-06-10', [{ metric: 'reason.no_smartphone', value: 10 }]));
    ok(await report('R1a-3', '2023-06-05', [{ metric: 'reason.no_smartphone', value: 30 }]));
    ok(await report('R1a-3', '2023-06-10', [{ metric: 'reason.no_smartphone', value: 4 }]));
  });
});

describe('collected ≥ approved ≥ activated on every day a write affects', () => {
  it('refuses lowering an earlier collected below a later approved, up to the next collected report', async () => {
    ok(await report('R1b-1', '2023-06-01', [{ metric: 'eid.collected', value: 100 }]));
    ok(await report('R1b-1', '2023-06-05', [{ metric: 'eid.approved', value: 80 }]));
    ok(await report('R1b-1', '2023-06-20', [{ metric: 'eid.collected', value: 200 }, { metric: 'eid.approved', value: 150 }]));
    // a new point on 06-03 holds until 06-20, so it meets approved 80 on 06-05
    await refused('R1b-1', '2023-06-03', [{ metric: 'eid.collected', value: 70 }], /on 2023-06-05 eid.approved \(80\) would exceed eid.collected \(70\)/, 'sai số');
    // so does a correction of 06-01 itself
    await refused('R1b-1', '2023-06-01', [{ metric: 'eid.collected', value: 70 }], /on 2023-06-05 eid.approved \(80\) would exceed eid.collected \(70\)/, 'sai số');
    // but not beyond the next collected report: approved 150 on 06-20 meets collected 200, not this value
    ok(await report('R1b-1', '2023-06-03', [{ metric: 'eid.collected', value: 90 }], 'sai số'));
  });

  it('refuses activated back-dated before any collected', async () => {
    ok(await report('R1b-2', '2023-06-10', [{ metric: 'eid.collected', value: 100 }]));
    await refused('R1b-2', '2023-06-05', [{ metric: 'eid.activated', value: 10 }], /on 2023-06-05 eid.activated \(10\) would exceed eid.collected \(0\)/);
    ok(await report('R1b-2', '2023-06-10', [{ metric: 'eid.activated', value: 10 }]));
  });

  it('blames the later stage written together, and compares a stage the unit never reported with nothing', async () => {
    ok(await report('R1b-3', '2023-06-01', [{ metric: 'eid.collected', value: 100 }, { metric: 'eid.activated', value: 40 }]));
    const r = await report('R1b-3', '2023-06-02', [{ metric: 'eid.collected', value: 120 }, { metric: 'eid.approved', value: 130 }]);
    expect(codeOf(r)).toBe('BAD_USER_INPUT');
    expect(r.errors![0].extensions.fieldPaths).toEqual(['input.values.1.value']);
  });

  // The writer skips its pipeline statement only when all three stages come together, none has a later report and
  // they do not rise: these are the cases next to that one.
  const stages = (collected: number, approved: number, activated: number): Value[] => [
    { metric: 'eid.collected', value: collected }, { metric: 'eid.approved', value: approved }, { metric: 'eid.activated', value: activated },
  ];

  it('checks the three stages written together: accepted when they do not rise, refused (later stage blamed) when one does', async () => {
    ok(await report('R1b-7', '2023-06-01', stages(100, 100, 90)));
    await refused('R1b-7', '2023-06-02', stages(120, 130, 90), /on 2023-06-02 eid.approved \(130\) would exceed eid.collected \(120\)/);
    const r = await report('R1b-7', '2023-06-02', stages(120, 110, 115));
    expect(r.errors![0].extensions.fieldPaths).toEqual(['input.values.2.value']);
    expect(ok(await report('R1b-7', '2023-06-02', stages(120, 110, 110))).reportProgress.changed).toBe(3);
  });

  it('checks the three stages written together against a later report of one of them', async () => {
    ok(await report('R1a-6', '2023-06-10', [{ metric: 'eid.approved', value: 80 }]));
    // on 06-10 the approved 80 stored meets the collected 70 written here, still in force
    await refused('R1a-6', '2023-06-05', stages(70, 60, 50), /on 2023-06-10 eid.approved \(80\) would exceed eid.collected \(70\)/);
    expect(ok(await report('R1a-6', '2023-06-05', stages(90, 60, 50))).reportProgress.changed).toBe(3);
  });
});

describe('the same rules in importProgress, set-based, by row', () => {
  type Row = { unitCode: string; metric: string; asOf: string; value: number };
  const row = (unitCode: string, metric: string, asOf: string, value: number): Row => ({ unitCode, metric, asOf, value });
  async function importRefused(rows: Row[], badRows: number[], message: RegExp): Promise<void> {
    const before = await progressTables(t);
    const r = await gql(t, IMPORT, { input: { rows } }, officer.token);
    expect(codeOf(r)).toBe('BAD_USER_INPUT');
    const problems: { row: number; message: string }[] = r.errors![0].extensions.problems;
    expect([...new Set(problems.map((p) => p.row))]).toEqual(badRows);
    expect(problems.map((p) => p.message).join(' ')).toMatch(message);
    expect(await progressTables(t)).toBe(before);
  }

  it('refuses lowering a stored day and a higher value back-dated before a lower one', async () => {
    ok(await report('R1a-4', '2023-06-10', [{ metric: 'eid.collected', value: 100 }]));
    await importRefused([row('R1a-4', 'eid.collected', '2023-06-10', 90)], [1], /Row 1: .*lower than the value already reported for 2023-06-10 \(100\)/);
    await importRefused([row('R1a-4', 'eid.collected', '2023-06-01', 10), row('R1a-4', 'eid.collected', '2023-06-05', 150)], [2], /Row 2: .*higher than the next report \(100 on 2023-06-10\)/);
    // within the file: the later row falls below the earlier one
    await importRefused([row('R1a-5', 'eid.collected', '2023-06-01', 50), row('R1a-5', 'eid.collected', '2023-06-02', 40)], [2], /Row 2: .*lower than the previous report \(50 on 2023-06-01\)/);
  });

  it('refuses activated before any collected, and a stage above an earlier one on any day the rows are in force', async () => {
    ok(await report('R1b-4', '2023-06-10', [{ metric: 'eid.collected', value: 100 }]));
    await importRefused([row('R1b-4', 'eid.activated', '2023-06-05', 10)], [1], /Row 1: on 2023-06-05 eid.activated \(10\) would exceed eid.collected \(0\)/);
    await importRefused(
      [row('R1b-5', 'eid.collected', '2023-06-03', 70), row('R1b-5', 'eid.approved', '2023-06-05', 80), row('R1b-5', 'eid.collected', '2023-06-07', 100)],
      [2],
      /Row 2: on 2023-06-05 eid.approved \(80\) would exceed eid.collected \(70\)/,
    );
    // a later collected in the same file lifts the limit from its day on
    ok(await gql(t, IMPORT, { input: { rows: [row('R1b-5', 'eid.collected', '2023-06-03', 70), row('R1b-5', 'eid.collected', '2023-06-05', 90), row('R1b-5', 'eid.approved', '2023-06-05', 80)] } }, officer.token));
  });

  it('checks a back-dated stage on every later day it stays in force, a day lowered by a correction included', async () => {
    ok(await report('R1b-6', '2023-06-01', [{ metric: 'eid.collected', value: 100 }]));
    ok(await report('R1b-6', '2023-06-02', [{ metric: 'eid.collected', value: 100 }]));
    ok(await report('R1b-6', '2023-06-03', [{ metric: 'eid.collected', value: 100 }]));
    ok(await report('R1b-6', '2023-06-03', [{ metric: 'eid.collected', value: 50 }], 'nhập nhầm'));
    await importRefused([row('R1b-6', 'eid.approved', '2023-06-01', 80)], [1], /Row 1: on 2023-06-03 eid.approved \(80\) would exceed eid.collected \(50\)/);
    // the same with the unchanged collected of that day in the file: its series is read to its end all the same
    await importRefused(
      [row('R1b-6', 'eid.collected', '2023-06-01', 100), row('R1b-6', 'eid.approved', '2023-06-01', 80)],
      [2],
      /Row 2: on 2023-06-03 eid.approved \(80\) would exceed eid.collected \(50\)/,
    );
    ok(await gql(t, IMPORT, { input: { rows: [row('R1b-6', 'eid.approved', '2023-06-01', 50)] } }, officer.token));
  });
});
