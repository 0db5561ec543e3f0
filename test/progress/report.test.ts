import { toGlobalId } from '../../src/common/global-id';
import { startTestApp, type TestApp } from '../support/app';
import { gql, codeOf, ok } from '../support/client';
import { principalWith, type TestPrincipal } from '../support/principals';
import { todayInVietnam } from '../../src/common/scalars';
import { gridTree, PROGRESS, progressTables, REPORT, unitId } from './support';

let t: TestApp;
let officer: TestPrincipal;
let admin: TestPrincipal;
let ids: Record<string, string> = {};

beforeAll(async () => {
  t = await startTestApp();
  await gridTree(t, ['A', 'B'], 2, 2, 3);
  admin = await principalWith(t, [{ role: 'SYSTEM_ADMIN', unit: 'A' }]);
  officer = await principalWith(t, [{ role: 'OFFICER', unit: 'A1' }]);
  for (const c of ['A', 'A1', 'A1a', 'A1a-1', 'A1a-2', 'A1b-1', 'A2a-1', 'B']) ids[c] = await unitId(t, c, admin.token);
});
afterAll(() => t?.close());

const report = (code: string, asOf: string, values: { metric: string; value: number }[], extra: Record<string, unknown> = {}, token = officer.token) =>
  gql(t, REPORT, { input: { unitId: ids[code], asOf, values, ...extra } }, token);
const figure = async (code: string, metric: string, asOf?: string, token = admin.token) =>
  ok(await gql(t, PROGRESS, { id: ids[code], m: metric, d: asOf ?? null }, token)).unit.progress;

describe('reportProgress', () => {
  it('writes a report and rolls it up to every ancestor, as of the day and today', async () => {
    const r = ok(await report('A1a-1', '2023-06-01', [{ metric: 'eid.collected', value: 100 }, { metric: 'eid.activated', value: 40 }], { note: 'đợt 1' }));
    expect(r.reportProgress.changed).toBe(2);
    expect(r.reportProgress.reports.map((x: any) => [x.metric, x.value, x.note])).toEqual([
      ['eid.activated', 40, 'đợt 1'],
      ['eid.collected', 100, 'đợt 1'],
    ]);
    ok(await report('A1a-2', '2023-06-03', [{ metric: 'eid.collected', value: 50 }]));
    for (const code of ['A', 'A1', 'A1a']) {
      expect(await figure(code, 'eid.collected')).toMatchObject({ value: 150, reportedUnits: 2 });
      expect(await figure(code, 'eid.collected', '2023-06-02')).toMatchObject({ value: 100, reportedUnits: 1 });
      expect(await figure(code, 'eid.collected', '2023-05-31')).toMatchObject({ value: 0, reportedUnits: 0, lastReportAt: null });
    }
    expect(await figure('A1a', 'eid.collected')).toMatchObject({ reportingUnits: 3 });
    expect(await figure('A', 'eid.collected')).toMatchObject({ reportingUnits: 12 });
    expect((await figure('A', 'eid.collected')).lastReportAt).not.toBeNull();
    expect(await figure('B', 'eid.collected')).toMatchObject({ value: 0, reportingUnits: 12, reportedUnits: 0 });
  });

  it('is idempotent: the same report again writes nothing', async () => {
    const before = await progressTables(t);
    const r = ok(await report('A1a-1', '2023-06-01', [{ metric: 'eid.collected', value: 100 }, { metric: 'eid.activated', value: 40 }]));
    expect(r.reportProgress.changed).toBe(0);
    expect(r.reportProgress.reports).toHaveLength(2);
    expect(await progressTables(t)).toBe(before);
  });

  it('handles a back-dated report between two reports and a correction, keeping history', async () => {
    ok(await report('A1b-1', '2023-06-10', [{ metric: 'eid.collected', value: 30 }]));
    ok(await report('A1b-1', '2023-06-20', [{ metric: 'eid.collected', value: 70 }]));
    ok(await report('A1b-1', '2023-06-15', [{ metric: 'eid.collected', value: 50 }]));
    const c = ok(await report('A1b-1', '2023-06-15', [{ metric: 'eid.collected', value: 45 }], { correctionReason: 'đếm trùng' }));
    expect(c.reportProgress.changed).toBe(1);
    expect((await figure('A1b-1', 'eid.collected', '2023-06-16')).value).toBe(45);
    expect((await figure('A1', 'eid.collected', '2023-06-16')).value).toBe(150 + 45);
    expect((await figure('A1', 'eid.collected', '2023-06-20')).value).toBe(150 + 70);
    expect((await figure('A1', 'eid.collected', '2023-06-09')).value).toBe(150);
    // a report before the series' first moves where it starts
    ok(await report('A1b-1', '2023-06-05', [{ metric: 'eid.collected', value: 10 }]));
    expect(await figure('A1', 'eid.collected', '2023-06-06')).toMatchObject({ value: 160, reportedUnits: 3 });
    expect(await figure('A1', 'eid.collected', '2023-06-04')).toMatchObject({ value: 150, reportedUnits: 2 });
    const h = ok(await gql(t, `query($id: ID!) { unit(id: $id) { progressHistory(metric: "eid.collected", first: 2) { totalCount nodes { asOf oldValue newValue reason principalId } pageInfo { hasNextPage endCursor } } } }`, { id: ids['A1b-1'] }, officer.token));
    expect(h.unit.progressHistory.nodes.map((n: any) => n.principalId)).toEqual([toGlobalId('Principal', officer.id), toGlobalId('Principal', officer.id)]);
    for (const n of h.unit.progressHistory.nodes) delete n.principalId;
    expect(h.unit.progressHistory.totalCount).toBe(5);
    expect(h.unit.progressHistory.nodes[0]).toEqual({ asOf: '2023-06-05', oldValue: null, newValue: 10, reason: null });
    expect(h.unit.progressHistory.nodes[1]).toEqual({ asOf: '2023-06-15', oldValue: 50, newValue: 45, reason: 'đếm trùng' });
    const audits = await t.sql(`select action from audit_entry where object_type = 'ProgressReport' and action = 'progress.correct'`);
    expect(audits).toHaveLength(1);
    const series = ok(await gql(t, `query($id: ID!) { unit(id: $id) { series(metric: "eid.collected", from: "2023-06-04", to: "2023-06-21") { date value } } }`, { id: ids.A1 }, officer.token));
    const pts = series.unit.series;
    expect(pts).toHaveLength(18);
    expect(pts[0]).toEqual({ date: '2023-06-04', value: 150 });
    expect(pts.find((p: any) => p.date === '2023-06-12').value).toBe(180);
    expect(pts[pts.length - 1]).toEqual({ date: '2023-06-21', value: 220 });
  });

  it('lists not-yet-activated reasons largest first; reasons may go down without a correction', async () => {
    ok(await report('A1a-1', '2023-07-01', [{ metric: 'reason.no_smartphone', value: 5 }, { metric: 'reason.working_away', value: 9 }]));
    ok(await report('A1a-2', '2023-07-01', [{ metric: 'reason.no_smartphone', value: 6 }]));
    ok(await report('A1a-2', '2023-07-02', [{ metric: 'reason.no_smartphone', value: 2 }]));
    const r = ok(await gql(t, `query($id: ID!) { unit(id: $id) { reasons(asOf: "2023-07-01") { metric { code } value } now: reasons { value } } }`, { id: ids.A1a }, officer.token));
    expect(r.unit.reasons.map((x: any) => [x.metric.code, x.value])).toEqual([['reason.no_smartphone', 11], ['reason.working_away', 9]]);
    expect(r.unit.now.map((x: any) => x.value)).toEqual([9, 7]);
  });
});

describe('refusals (nothing written)', () => {
  const refused = async (res: Promise<any>, paths: string[]) => {
    const before = await progressTables(t);
    const r = await res;
    expect(codeOf(r)).toBe('BAD_USER_INPUT');
    expect(r.errors[0].extensions.fieldPaths.sort()).toEqual(paths.sort());
    expect(await progressTables(t)).toBe(before);
  };

  it('reports every problem at once with field paths', async () => {
    const tomorrow = new Date(Date.now() + 2 * 86400000).toISOString().slice(0, 10);
    await refused(report('A1a-1', tomorrow, [{ metric: 'eid.collected', value: -1 }, { metric: 'nope', value: 1 }]), [
      'input.asOf', 'input.values.0.value', 'input.values.1.metric',
    ]);
  });

  it('refuses a day before the unit existed, and a unit not at the reporting level', async () => {
    await refused(report('A1a-1', '2019-12-31', [{ metric: 'eid.collected', value: 1 }]), ['input.asOf']);
    await refused(report('A1a', '2023-06-01', [{ metric: 'eid.collected', value: 1 }]), ['input.values.0.metric']);
  });

  it('refuses activated above approved and approved above collected, against the values effective that day', async () => {
    // A1a-1 has collected 100, activated 40 since 2023-06-01.
    await refused(report('A1a-1', '2023-06-05', [{ metric: 'eid.activated', value: 120 }]), ['input.values.0.value']);
    await refused(report('A1a-1', '2023-06-05', [{ metric: 'eid.approved', value: 30 }]), ['input.values.0.value']);
    await refused(report('A1a-1', '2023-06-05', [{ metric: 'eid.collected', value: 120 }, { metric: 'eid.approved', value: 130 }]), ['input.values.1.value']);
    ok(await report('A1a-1', '2023-06-05', [{ metric: 'eid.approved', value: 60 }]));
  });

  it('refuses a cumulative value lower than the previous report unless a correctionReason is given', async () => {
    await refused(report('A1a-2', '2023-06-30', [{ metric: 'eid.collected', value: 49 }]), ['input.values.0.value']);
    ok(await report('A1a-2', '2023-06-30', [{ metric: 'eid.collected', value: 49 }], { correctionReason: 'hồ sơ lỗi' }));
  });

  it('refuses values above 2^31 - 1 (GraphQL Int)', async () => {
    const r = await report('A1a-1', '2023-06-01', [{ metric: 'eid.collected', value: 2 ** 31 }]);
    expect(codeOf(r)).toBe('BAD_USER_INPUT');
  });
});

describe('jurisdiction', () => {
  it('answers NOT_FOUND to an officer of a sibling district, FORBIDDEN to a viewer; nothing written', async () => {
    const sibling = await principalWith(t, [{ role: 'OFFICER', unit: 'A2' }]);
    const viewer = await principalWith(t, [{ role: 'VIEWER', unit: 'A1' }]);
    const before = await progressTables(t);
    expect(codeOf(await report('A1a-1', '2023-08-01', [{ metric: 'eid.collected', value: 500 }], {}, sibling.token))).toBe('NOT_FOUND');
    expect(codeOf(await report('A1a-1', '2023-08-01', [{ metric: 'eid.collected', value: 500 }], {}, viewer.token))).toBe('FORBIDDEN');
    expect(await progressTables(t)).toBe(before);
    // the viewer reads figures in its jurisdiction; the sibling cannot even see the unit
    expect((await figure('A1', 'eid.collected', undefined, viewer.token)).value).toBeGreaterThan(0);
    expect(codeOf(await gql(t, PROGRESS, { id: ids.A1, m: 'eid.collected' }, sibling.token))).toBe('NOT_FOUND');
  });

  it('does not expose progress fields on ancestors (identity only)', async () => {
    const r = await gql(t, `query($id: ID!) { unit(id: $id) { ancestors { code progress(metric: "eid.collected") { value } } } }`, { id: ids['A1a'] }, officer.token);
    expect(codeOf(r)).toBe('GRAPHQL_VALIDATION_FAILED');
  });

  it('counts today as the default day', async () => {
    expect(todayInVietnam() > '2023-12-31').toBe(true);
  });
});
