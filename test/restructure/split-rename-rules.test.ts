import { startTestApp, type TestApp } from '../support/app';
import { codeOf, gql, ok } from '../support/client';
import { principalWith, type TestPrincipal } from '../support/principals';
import { gridTree, IMPORT } from '../progress/support';
import { addDays } from '../../src/common/dates';
import { todayInVietnam } from '../../src/common/scalars';
import { toGlobalId } from '../../src/common/global-id';
import { datedTruth, differences, gid, rollupFigures, treeTables, value } from './support';

let t: TestApp;
let ids: Record<string, number>;
let admin: TestPrincipal;
let outsider: TestPrincipal;
let viewer: TestPrincipal;
const E = '2025-07-01';
const DAYS = ['2025-06-01', '2025-06-30', E, '2025-07-15', todayInVietnam()];

const SPLIT = `mutation($input: SplitUnitInput!) { splitUnit(input: $input) { summary { dryRun created moved retired lineageLinks teamsMoved quotasMerged }
  successors { code } predecessors { code validTo } } }`;
const MERGE = `mutation($input: MergeUnitsInput!) { mergeUnits(input: $input) { summary { retired grantsMoved teamsMoved quotasMerged } } }`;
const RENAME = `mutation($input: RenameUnitInput!) { renameUnit(input: $input) { unit { name kind formerNames { name kind validFrom validTo } } } }`;

beforeAll(async () => {
  t = await startTestApp();
  ids = await gridTree(t, ['A', 'B'], 2, 2, 3);
  admin = await principalWith(t, [{ role: 'ADMIN', unit: 'A' }]);
  outsider = await principalWith(t, [{ role: 'ADMIN', unit: 'B' }]);
  viewer = await principalWith(t, [{ role: 'VIEWER', unit: 'A' }]);
  const rows = Object.keys(ids).filter((c) => c.includes('-')).flatMap((code, i) => [
    { unitCode: code, metric: 'eid.collected', asOf: '2025-06-01', value: 10 + i },
    { unitCode: code, metric: 'eid.collected', asOf: '2025-06-20', value: 31 + 2 * i },
  ]);
  ok(await gql(t, IMPORT, { input: { rows } }, (await principalWith(t, [{ role: 'SYSTEM_ADMIN', unit: 'A' }])).token));
});
afterAll(() => t?.close());

describe('splitUnit', () => {
  const byChildren = () => ({
    id: gid(ids.A2a), effectiveDate: E,
    parts: [{ successorId: gid(ids.A2b), childIds: [gid(ids['A2a-1'])] }, { newSuccessor: { code: 'AN', name: 'Xã Mới', kind: 'xã', parentId: gid(ids.A2) }, childIds: [gid(ids['A2a-2']), gid(ids['A2a-3'])] }],
  });

  it('refuses outsiders, viewers, incomplete children and mixed modes, writing nothing', async () => {
    const before = await treeTables(t);
    expect(codeOf(await gql(t, SPLIT, { input: byChildren() }, outsider.token))).toBe('NOT_FOUND');
    expect(codeOf(await gql(t, SPLIT, { input: byChildren() }, viewer.token))).toBe('FORBIDDEN');
    const missing = byChildren();
    missing.parts[1].childIds = [gid(ids['A2a-2'])];
    expect(codeOf(await gql(t, SPLIT, { input: missing }, admin.token))).toBe('BAD_USER_INPUT');
    const mixed = byChildren();
    (mixed.parts[0] as Record<string, unknown>).share = 0.5;
    expect(codeOf(await gql(t, SPLIT, { input: mixed }, admin.token))).toBe('BAD_USER_INPUT');
    expect(await treeTables(t)).toBe(before);
  });

  it('by children: each part takes its hamlets with their figures; history before the split stays', async () => {
    const history = await rollupFigures(t, ['2025-06-01', '2025-06-30']);
    const dry = ok(await gql(t, SPLIT, { input: { ...byChildren(), dryRun: true } }, admin.token)).splitUnit;
    expect(dry.summary).toMatchObject({ dryRun: true, created: 1, retired: 1, lineageLinks: 2 });
    expect(differences(history, await rollupFigures(t, ['2025-06-01', '2025-06-30']))).toEqual([]);
    const done = ok(await gql(t, SPLIT, { input: byChildren() }, admin.token)).splitUnit;
    expect(done.successors.map((s: { code: string }) => s.code)).toEqual(['A2b', 'AN']);
    expect(done.predecessors).toEqual([{ code: 'A2a', validTo: '2025-06-30' }]);
    expect(differences(history, await rollupFigures(t, ['2025-06-01', '2025-06-30']))).toEqual([]);
    expect(differences(await datedTruth(t, DAYS), await rollupFigures(t, DAYS))).toEqual([]);
    expect(await value(t, admin.token, 'AN', '2025-07-15')).toBe((await value(t, admin.token, 'A2a-2', '2025-06-30')) + (await value(t, admin.token, 'A2a-3', '2025-06-30')));
    const links = ok(await gql(t, `{ unitByCode(code: "A2a") { successors { unit { code } kind carriesFigures share } } }`, {}, admin.token)).unitByCode;
    expect(links.successors).toEqual([
      { unit: { code: 'A2b' }, kind: 'SPLIT', carriesFigures: true, share: null },
      { unit: { code: 'AN' }, kind: 'SPLIT', carriesFigures: true, share: null },
    ]);
  });

  it('by shares: each part carries its share of every figure (rounded so the parts add up exactly)', async () => {
    const input = { id: gid(ids['B1a-1']), effectiveDate: E, parts: [{ successorId: gid(ids['B1a-2']), share: 0.6 }, { successorId: gid(ids['B1a-3']), share: 0.4 }] };
    const sysB = await principalWith(t, [{ role: 'ADMIN', unit: 'B' }]);
    expect(codeOf(await gql(t, SPLIT, { input }, admin.token))).toBe('NOT_FOUND');
    const v = await value(t, sysB.token, 'B1a-1', '2025-06-30');
    const [own2, own3] = [await value(t, sysB.token, 'B1a-2', '2025-06-30'), await value(t, sysB.token, 'B1a-3', '2025-06-30')];
    const commune = await value(t, sysB.token, 'B1a', '2025-06-30');
    ok(await gql(t, SPLIT, { input }, sysB.token));
    const [s2, s3] = [Math.round(0.6 * v) === 0.6 * v ? 0.6 * v : null, null];
    const after2 = await value(t, sysB.token, 'B1a-2', E);
    const after3 = await value(t, sysB.token, 'B1a-3', E);
    expect(after2 - own2 + (after3 - own3)).toBe(v);
    if (s2 !== null) expect(after2 - own2).toBe(s2);
    expect(Math.abs(after2 - own2 - 0.6 * v)).toBeLessThanOrEqual(1);
    expect(s3).toBeNull();
    expect(await value(t, sysB.token, 'B1a-1', E)).toBe(0);
    expect(await value(t, sysB.token, 'B1a', E)).toBe(commune);
    expect(await value(t, sysB.token, 'B1a', '2025-06-30')).toBe(commune);
  });
});

describe('renameUnit', () => {
  it('keeps the old name for days before the change; refuses outsiders, viewers and future dates', async () => {
    const input = { id: gid(ids.A2b), name: 'Phường Hòa Bình', kind: 'phường', effectiveDate: E };
    expect(codeOf(await gql(t, RENAME, { input }, outsider.token))).toBe('NOT_FOUND');
    expect(codeOf(await gql(t, RENAME, { input }, viewer.token))).toBe('FORBIDDEN');
    expect(codeOf(await gql(t, RENAME, { input: { ...input, effectiveDate: addDays(todayInVietnam(), 2) } }, admin.token))).toBe('BAD_USER_INPUT');
    const r = ok(await gql(t, RENAME, { input }, admin.token)).renameUnit.unit;
    expect(r).toEqual({ name: 'Phường Hòa Bình', kind: 'phường', formerNames: [{ name: 'Xã A2b', kind: 'xã', validFrom: null, validTo: E }] });
    const then = ok(await gql(t, `{ unitByCode(code: "A2b", asOf: "2025-06-30") { name kind } parent: unitByCode(code: "A2", asOf: "2025-06-30") { children { nodes { name } } } }`, {}, admin.token));
    expect(then.unitByCode).toEqual({ name: 'Xã A2b', kind: 'xã' });
    expect(then.parent.children.nodes.map((n: { name: string }) => n.name)).toContain('Xã A2b');
    expect(codeOf(await gql(t, RENAME, { input: { ...input, name: 'Xã Cũ', effectiveDate: '2025-06-01' } }, admin.token))).toBe('BAD_USER_INPUT');
  });
});

describe('quotas, campaigns, teams and grants on merged units', () => {
  it('adds quotas of running campaigns to the successor, moves teams and grants, and keeps a campaign scoped to a vanished unit readable as of its dates', async () => {
    const [{ id: running }] = await t.sql<{ id: number }>(`insert into campaign (name, scope_unit_id, start_date, deadline, status, created_at, updated_at)
      values ('Cao điểm', $1, '2025-06-01', '2025-12-31', 'ACTIVE', now(), now()) returning id`, [ids.B]);
    const [{ id: local }] = await t.sql<{ id: number }>(`insert into campaign (name, scope_unit_id, start_date, deadline, status, created_at, updated_at)
      values ('Xã B', $1, '2025-06-01', '2025-12-31', 'ACTIVE', now(), now()) returning id`, [ids.B2b]);
    for (const c of [running, local]) await t.sql(`insert into campaign_metric (campaign_id, metric_code, counting_mode, allocation_mode) values ($1, 'eid.collected', 'CUMULATIVE', 'LENIENT')`, [c]);
    await t.sql(`insert into quota (campaign_id, unit_id, metric_code, target, assigned_at) values ($1, $2, 'eid.collected', 100, now()), ($1, $3, 'eid.collected', 50, now()), ($1, $4, 'eid.collected', 70, now())`,
      [running, ids.B1a, ids.B2b, ids.B2a]);
    await t.sql(`insert into team (unit_id, name, kind, created_at, updated_at) values ($1, 'Tổ công tác', 'POLICE', now(), now())`, [ids.B2b]);
    const bAdmin = await principalWith(t, [{ role: 'ADMIN', unit: 'B' }]);
    const grantee = await principalWith(t, [{ role: 'OFFICER', unit: 'B2b' }]);
    const cid = (id: number) => toGlobalId('Campaign', id);
    const before = ok(await gql(t, `query($c: ID!) { unitByCode(code: "B2", asOf: "2025-06-30") { rankedChildren(campaignId: $c, metric: "eid.collected") { totalCount nodes { unit { code } target } } } }`, { c: cid(running) }, bAdmin.token));
    expect(before.unitByCode.rankedChildren.totalCount).toBe(2);

    // B2b merges into B2a; B1a stays apart.
    const done = ok(await gql(t, MERGE, { input: { predecessorIds: [gid(ids.B2a), gid(ids.B2b)], successorId: gid(ids.B2a), effectiveDate: E } }, bAdmin.token)).mergeUnits;
    expect(done.summary).toEqual({ retired: 1, grantsMoved: 1, teamsMoved: 1, quotasMerged: 1 });
    expect(await t.sql(`select target from quota where campaign_id = $1 and unit_id = $2`, [running, ids.B2a])).toEqual([{ target: 120 }]);
    expect(await t.sql(`select old_target, new_target from quota_history where campaign_id = $1 and unit_id = $2`, [running, ids.B2a])).toEqual([{ old_target: 70, new_target: 120 }]);
    expect(await t.sql(`select unit_id from team`)).toEqual([{ unit_id: ids.B2a }]);
    expect(await t.sql(`select unit_id from "grant" where principal_id = $1`, [grantee.id])).toEqual([{ unit_id: ids.B2a }]);

    const q = `query($c: ID!, $d: Date) { unitByCode(code: "B2") { rankedChildren(campaignId: $c, metric: "eid.collected", asOf: $d) { totalCount nodes { unit { code } target } } } }`;
    expect(ok(await gql(t, q, { c: cid(running), d: '2025-06-30' }, bAdmin.token)).unitByCode.rankedChildren).toEqual({ totalCount: 2, nodes: [{ unit: { code: 'B2a' }, target: 120 }, { unit: { code: 'B2b' }, target: 50 }] });
    expect(ok(await gql(t, q, { c: cid(running), d: '2025-07-15' }, bAdmin.token)).unitByCode.rankedChildren).toEqual({ totalCount: 1, nodes: [{ unit: { code: 'B2a' }, target: 120 }] });
    // The campaign scoped to the vanished B2b reads as of B2b's last day.
    const local0 = ok(await gql(t, `query($c: ID!) { unitByCode(code: "B2b") { campaignProgress(campaignId: $c) { asOf value } } }`, { c: cid(local) }, bAdmin.token));
    expect(local0.unitByCode.campaignProgress).toEqual([{ asOf: '2025-06-30', value: await value(t, bAdmin.token, 'B2b', '2025-06-30') }]);
    // outside the jurisdiction: nothing
    expect(ok(await gql(t, `query($c: ID!) { unitByCode(code: "A1") { campaignProgress(campaignId: $c, asOf: "2025-06-30") { value } } }`, { c: cid(local) }, admin.token)).unitByCode.campaignProgress).toEqual([]);
    expect(codeOf(await gql(t, `query($c: ID!) { unitByCode(code: "B2", asOf: "2025-06-30") { rankedChildren(campaignId: $c, metric: "eid.collected") { totalCount } } }`, { c: cid(running) }, admin.token))).toBe('NOT_FOUND');
  });
});
