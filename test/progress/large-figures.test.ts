import { startTestApp, type TestApp } from '../support/app';
import { gql, codeOf, ok } from '../support/client';
import { principalWith, type TestPrincipal } from '../support/principals';
import { createCampaign, unitGid } from '../campaigns/fixtures';
import { gridTree, REPORT } from './support';

/*
 * Reports are Int (at most 2,147,483,647 each); their sums are not. No sequence of accepted writes may make
 * a figure unreadable: figures are `Count` (exact to 2^53 − 1), never a 32-bit Int that turns them into null.
 */
const MAX = 2_147_483_647;
let t: TestApp;
let ids: Record<string, number>;
let sys: TestPrincipal;
let officer: TestPrincipal;
let outsider: TestPrincipal;
let campaignId: string;

beforeAll(async () => {
  t = await startTestApp();
  ids = await gridTree(t, ['A', 'B'], 1, 1, 2);
  sys = await principalWith(t, [{ role: 'SYSTEM_ADMIN', unit: 'A' }]);
  officer = await principalWith(t, [{ role: 'OFFICER', unit: 'A' }]);
  outsider = await principalWith(t, [{ role: 'VIEWER', unit: 'B' }]);
  campaignId = await createCampaign(t, sys.token, ids.A);
  const values = ['eid.collected', 'eid.approved', 'eid.activated'].map((metric) => ({ metric, value: MAX }));
  for (const hamlet of ['A1a-1', 'A1a-2']) ok(await gql(t, REPORT, { input: { unitId: unitGid(ids[hamlet]), asOf: '2023-10-01', values } }, officer.token));
  const ASSIGN = `mutation($input: AssignQuotasInput!) { assignQuotas(input: $input) { changed } }`;
  const assign = async (parent: string | null, allocations: [string, number][]) =>
    ok(await gql(t, ASSIGN, { input: { campaignId, metric: 'eid.activated', parentUnitId: parent && unitGid(ids[parent]), allocations: allocations.map(([c, target]) => ({ unitId: unitGid(ids[c]), target })) } }, sys.token));
  await assign('A1a', [['A1a-1', 2_000_000_000], ['A1a-2', 2_000_000_000]]);
  await assign('A1', [['A1a', 1_000_000_000]]);
});
afterAll(() => t?.close());

const SUM = 2 * MAX; // 4,294,967,294

it('two reports of 2,147,483,647 roll up to readable commune, district and province figures', async () => {
  const Q = `query($id: ID!) { unit(id: $id) { progress(metric: "eid.collected", asOf: "2023-10-01") { value reportedUnits } } }`;
  for (const code of ['A1a', 'A1', 'A']) {
    expect(ok(await gql(t, Q, { id: unitGid(ids[code]) }, officer.token)).unit.progress).toEqual({ value: SUM, reportedUnits: 2 });
  }
  // The database holds the same sum.
  const [{ value }] = await t.sql<{ value: string }>(`select value::text from rollup_total where unit_id = $1 and metric = 'eid.collected'`, [ids.A]);
  expect(Number(value)).toBe(SUM);
});

it('series points, campaign figures and standings past 2^31 are readable', async () => {
  const series = ok(await gql(t, `query($id: ID!) { unit(id: $id) { series(metric: "eid.activated", from: "2023-09-30", to: "2023-10-02") { date value } } }`, { id: unitGid(ids.A) }, officer.token));
  expect(series.unit.series.map((p: { value: number }) => p.value)).toEqual([0, SUM, SUM]);
  const CP = `query($id: ID!, $c: ID!) { unit(id: $id) { campaignProgress(campaignId: $c, metric: "eid.activated") { value target remaining rate } } }`;
  const [figure] = ok(await gql(t, CP, { id: unitGid(ids.A1a), c: campaignId }, officer.token)).unit.campaignProgress;
  // As of the deadline (2023-11-30, passed), cumulative: both reports.
  expect(figure).toMatchObject({ value: SUM, target: 1_000_000_000, remaining: 0 });
  expect(figure.rate).toBeCloseTo(SUM / 1_000_000_000, 6);
  const RC = `query($id: ID!, $c: ID!) { unit(id: $id) { rankedChildren(campaignId: $c, metric: "eid.activated", by: VALUE, direction: DESC) { nodes { unit { code } value target } } } }`;
  const standings = ok(await gql(t, RC, { id: unitGid(ids.A1a), c: campaignId }, officer.token)).unit.rankedChildren.nodes;
  expect(standings.map((s: { value: number; target: number }) => [s.value, s.target])).toEqual([[MAX, 2_000_000_000], [MAX, 2_000_000_000]]);
});

it("a quota's children's allocation past 2^31 is readable (and its shortfall negative)", async () => {
  const Q = `query($id: ID!, $c: ID!) { unit(id: $id) { quota(campaignId: $c, metric: "eid.activated") { target allocatedToChildren unallocated overAllocated childrenWithQuota } } }`;
  expect(ok(await gql(t, Q, { id: unitGid(ids.A1a), c: campaignId }, officer.token)).unit.quota).toEqual({
    target: 1_000_000_000, allocatedToChildren: 4_000_000_000, unallocated: -3_000_000_000, overAllocated: true, childrenWithQuota: 2,
  });
});

it('outside the jurisdiction the figures stay invisible', async () => {
  const r = await gql(t, `query($id: ID!) { unit(id: $id) { progress(metric: "eid.collected") { value } } }`, { id: unitGid(ids.A) }, outsider.token);
  expect(codeOf(r)).toBe('NOT_FOUND');
});
