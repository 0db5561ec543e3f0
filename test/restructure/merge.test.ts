import { startTestApp, type TestApp } from '../support/app';
import { codeOf, gql, ok } from '../support/client';
import { principalWith, type TestPrincipal } from '../support/principals';
import { gridTree, IMPORT, REPORT } from '../progress/support';
import { addDays } from '../../src/common/dates';
import { todayInVietnam } from '../../src/common/scalars';
import { datedTruth, differences, gid, rollupFigures, treeTables, value } from './support';

let t: TestApp;
let ids: Record<string, number>;
let admin: TestPrincipal;
const E = '2025-07-01';
const DAYS = ['2025-05-31', '2025-06-01', '2025-06-20', '2025-06-30', E, '2025-07-10', '2025-07-15', todayInVietnam()];

const MERGE = `mutation($input: MergeUnitsInput!) { mergeUnits(input: $input) {
  summary { dryRun effectiveDate created moved retired lineageLinks grantsMoved teamsMoved quotasMerged }
  successors { code name validFrom ancestors { code } } predecessors { code retired validTo } } }`;
const mergeInput = (extra: Record<string, unknown> = {}) => ({
  predecessorIds: [gid(ids.A1a), gid(ids.A1b)],
  newSuccessor: { code: 'AX', name: 'Xã Tam Xuân', kind: 'xã', parentId: gid(ids.A) },
  effectiveDate: E,
  ...extra,
});

beforeAll(async () => {
  t = await startTestApp();
  ids = await gridTree(t, ['A', 'B'], 2, 2, 3);
  admin = await principalWith(t, [{ role: 'ADMIN', unit: 'A' }]);
  const rows = Object.keys(ids)
    .filter((c) => c.includes('-'))
    .flatMap((code, i) => [
      { unitCode: code, metric: 'eid.collected', asOf: '2025-06-01', value: 10 + i },
      { unitCode: code, metric: 'eid.collected', asOf: '2025-06-20', value: 30 + i },
    ]);
  ok(await gql(t, IMPORT, { input: { rows } }, (await principalWith(t, [{ role: 'SYSTEM_ADMIN', unit: 'A' }])).token));
});
afterAll(() => t?.close());

describe('mergeUnits', () => {
  it('refuses principals outside the jurisdiction, viewers, future dates and bad inputs, writing nothing', async () => {
    const outsider = await principalWith(t, [{ role: 'ADMIN', unit: 'B' }]);
    const viewer = await principalWith(t, [{ role: 'VIEWER', unit: 'A' }]);
    const districtAdmin = await principalWith(t, [{ role: 'ADMIN', unit: 'A1a' }]);
    const before = await treeTables(t);
    expect(codeOf(await gql(t, MERGE, { input: mergeInput() }, outsider.token))).toBe('NOT_FOUND');
    expect(codeOf(await gql(t, MERGE, { input: mergeInput() }, viewer.token))).toBe('FORBIDDEN');
    expect(codeOf(await gql(t, MERGE, { input: mergeInput({ predecessorIds: [gid(ids['A1a-1']), gid(ids['A1a-2'])], newSuccessor: null, successorId: gid(ids.A1a) }) }, districtAdmin.token))).toBe('FORBIDDEN');
    const future = await gql(t, MERGE, { input: mergeInput({ effectiveDate: addDays(todayInVietnam(), 1) }) }, admin.token);
    expect(codeOf(future)).toBe('BAD_USER_INPUT');
    expect(future.errors![0].extensions.problems[0].path).toEqual(['input', 'effectiveDate']);
    expect(codeOf(await gql(t, MERGE, { input: mergeInput({ predecessorIds: [gid(ids.A1a), gid(ids['A1b-1'])] }) }, admin.token))).toBe('BAD_USER_INPUT');
    expect(codeOf(await gql(t, MERGE, { input: mergeInput({ successorId: gid(ids.A2a) }) }, admin.token))).toBe('BAD_USER_INPUT');
    expect(await treeTables(t)).toBe(before);
  });

  it('reports what would change on dryRun and writes nothing', async () => {
    const before = await treeTables(t);
    const dry = ok(await gql(t, MERGE, { input: mergeInput({ dryRun: true }) }, admin.token)).mergeUnits;
    expect(dry.summary).toEqual({ dryRun: true, effectiveDate: E, created: 1, moved: 2 * 4 + 6, retired: 2, lineageLinks: 2, grantsMoved: 1, teamsMoved: 0, quotasMerged: 0 });
    expect(dry.successors[0]).toMatchObject({ code: 'AX', validFrom: E, ancestors: [{ code: 'A' }] });
    expect(await treeTables(t)).toBe(before);
  });

  it('merges: history stays, the successor continues its predecessors, lists follow the tree of each day', async () => {
    const figuresBefore = await rollupFigures(t, ['2023-06-30', '2025-06-01', '2025-06-30']);
    const a1Before = await value(t, admin.token, 'A1', '2025-06-30');
    const grantee = await principalWith(t, [{ role: 'VIEWER', unit: 'A1a' }]);
    const done = ok(await gql(t, MERGE, { input: mergeInput() }, admin.token)).mergeUnits;
    expect(done.summary).toMatchObject({ dryRun: false, created: 1, retired: 2, lineageLinks: 2, grantsMoved: 2 });
    expect(done.predecessors).toEqual([{ code: 'A1a', retired: true, validTo: '2025-06-30' }, { code: 'A1b', retired: true, validTo: '2025-06-30' }]);

    // history before the change is untouched
    expect(differences(figuresBefore, await rollupFigures(t, ['2023-06-30', '2025-06-01', '2025-06-30']))).toEqual([]);
    // continuity: the successor's figure = its predecessors' latest + what is reported to it afterwards
    const preds = (await value(t, admin.token, 'A1a', '2025-06-30')) + (await value(t, admin.token, 'A1b', '2025-06-30'));
    expect(preds).toBe(a1Before);
    expect(await value(t, admin.token, 'AX', '2025-06-30')).toBe(0);
    expect(await value(t, admin.token, 'AX', E)).toBe(preds);
    const sys = await principalWith(t, [{ role: 'SYSTEM_ADMIN', unit: 'A' }]);
    ok(await gql(t, IMPORT, { input: { rows: [{ unitCode: 'A1a-1', metric: 'eid.collected', asOf: '2025-07-10', value: 100 }] } }, sys.token));
    const own = 100 - (30 + Object.keys(ids).filter((c) => c.includes('-')).indexOf('A1a-1'));
    expect(await value(t, admin.token, 'AX', '2025-07-15')).toBe(preds + own);
    expect(await value(t, admin.token, 'A1', '2025-07-15')).toBe(0);
    expect(await value(t, admin.token, 'A1', '2025-06-30')).toBe(a1Before);
    // every unit, every day: rollups equal the truth recomputed on the dated tree
    expect(differences(await datedTruth(t, DAYS), await rollupFigures(t, DAYS))).toEqual([]);

    const tree = ok(await gql(t, `query($id: ID!, $a: ID!) {
      before: unit(id: $a, asOf: "2025-06-30") { children { totalCount nodes { code } } progress(metric: "eid.collected") { reportingUnits reportedUnits } }
      after: unit(id: $a, asOf: "2025-07-15") { children { totalCount } progress(metric: "eid.collected") { reportingUnits reportedUnits } }
      ax: unit(id: $id, asOf: "2025-07-15") { name parent { code } children { totalCount } withRetired: children(includeRetired: true) { nodes { code } }
            progress(metric: "eid.collected") { reportingUnits reportedUnits } predecessors { unit { code } kind effectiveDate carriesFigures } }
      old: unitByCode(code: "A1a") { successors { unit { code } kind effectiveDate } }
      gone: units(level: COMMUNE, asOf: "2025-07-15") { totalCount }
      then: units(level: COMMUNE, asOf: "2025-06-30") { totalCount }
    }`, { id: gid((await t.sql<{ id: number }>(`select id from admin_unit where code = 'AX'`))[0].id), a: gid(ids.A1) }, admin.token));
    expect(tree.before.children).toEqual({ totalCount: 2, nodes: [{ code: 'A1a' }, { code: 'A1b' }] });
    expect(tree.before.progress).toEqual({ reportingUnits: 6, reportedUnits: 6 });
    expect(tree.after.children.totalCount).toBe(0);
    expect(tree.after.progress).toEqual({ reportingUnits: 0, reportedUnits: 0 });
    expect(tree.ax).toMatchObject({ name: 'Xã Tam Xuân', parent: { code: 'A' }, children: { totalCount: 6 }, progress: { reportingUnits: 6, reportedUnits: 6 } });
    expect(tree.ax.withRetired.nodes.map((n: { code: string }) => n.code)).toEqual(['A1a', 'A1a-1', 'A1a-2', 'A1a-3', 'A1b', 'A1b-1', 'A1b-2', 'A1b-3']);
    expect(tree.ax.predecessors).toEqual([
      { unit: { code: 'A1a' }, kind: 'MERGED', effectiveDate: E, carriesFigures: true },
      { unit: { code: 'A1b' }, kind: 'MERGED', effectiveDate: E, carriesFigures: true },
    ]);
    expect(tree.old.successors).toEqual([{ unit: { code: 'AX' }, kind: 'MERGED', effectiveDate: E }]);
    expect(tree.then.totalCount - tree.gone.totalCount).toBe(1);

    // the grant at a merged commune now sits at its successor: it sees the successor, never a neighbour
    const seen = await gql(t, `{ ax: unitByCode(code: "AX") { code } old: unitByCode(code: "A1a", asOf: "2025-06-30") { code } }`, {}, grantee.token);
    expect(ok(seen).ax.code).toBe('AX');
    expect(codeOf(await gql(t, `{ unitByCode(code: "A2a") { code } }`, {}, grantee.token))).toBe('NOT_FOUND');
    expect(codeOf(await gql(t, `{ unitByCode(code: "A1", asOf: "2025-06-30") { code } }`, {}, grantee.token))).toBe('NOT_FOUND');
    const audits = await t.sql<{ action: string }>(`select action from audit_entry where action in ('unit.merge', 'unit.create', 'grant.follow-successor') order by id`);
    expect(audits.map((a) => a.action)).toEqual(['grant.follow-successor', 'grant.follow-successor', 'unit.create', 'unit.merge', 'unit.merge']);
  });

  it('lands a report back-dated before the merge, written after it, on the ancestors of its day, and carries it into the successor', async () => {
    const sys = await principalWith(t, [{ role: 'SYSTEM_ADMIN', unit: 'A' }]);
    const [a1, ax, hamlet] = [await value(t, admin.token, 'A1', '2025-06-30'), await value(t, admin.token, 'AX', '2025-07-15'), await value(t, admin.token, 'A1a-2', '2025-06-30')];
    ok(await gql(t, IMPORT, { input: { rows: [{ unitCode: 'A1a-2', metric: 'eid.collected', asOf: '2025-06-25', value: hamlet + 7 }] } }, sys.token));
    expect(await value(t, admin.token, 'A1', '2025-06-30')).toBe(a1 + 7);
    expect(await value(t, admin.token, 'A1', '2025-07-15')).toBe(0);
    expect(await value(t, admin.token, 'AX', '2025-07-15')).toBe(ax + 7);
    expect(await value(t, admin.token, 'AX', '2025-06-30')).toBe(0);
    // the same through reportProgress (one report, the database writer function)
    const other = await value(t, admin.token, 'A1a-3', '2025-06-30');
    ok(await gql(t, REPORT, { input: { unitId: gid(ids['A1a-3']), asOf: '2025-06-26', values: [{ metric: 'eid.collected', value: other + 5 }] } }, sys.token));
    expect(await value(t, admin.token, 'A1', '2025-06-30')).toBe(a1 + 12);
    expect(await value(t, admin.token, 'AX', '2025-07-15')).toBe(ax + 12);
    expect(differences(await datedTruth(t, DAYS), await rollupFigures(t, DAYS))).toEqual([]);
  });

  it('refuses a change dated before one already recorded for the same units', async () => {
    const before = await treeTables(t);
    const r = await gql(t, MERGE, { input: { predecessorIds: [gid(ids['A1a-1']), gid(ids['A1a-2'])], successorId: gid(ids['A1a-3']), effectiveDate: '2025-06-15' } }, admin.token);
    expect(codeOf(r)).toBe('BAD_USER_INPUT');
    expect(await treeTables(t)).toBe(before);
  });
});
