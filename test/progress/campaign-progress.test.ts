import { startTestApp, type TestApp } from '../support/app';
import { codeOf, gql, ok } from '../support/client';
import { principalWith, type TestPrincipal } from '../support/principals';
import { todayInVietnam } from '../../src/common/scalars';
import { gridTree, REPORT, unitId } from './support';

let t: TestApp;
let admin: TestPrincipal;
const ids: Record<string, string> = {};
let campaign: string;

const CREATE = `mutation($input: CreateCampaignInput!) { createCampaign(input: $input) { campaign { id } } }`;
const ASSIGN = `mutation($input: AssignQuotasInput!) { assignQuotas(input: $input) { changed } }`;
const addDays = (n: number, day = todayInVietnam()) => new Date(Date.parse(`${day}T00:00:00Z`) + n * 86_400_000).toISOString().slice(0, 10);

async function createCampaign(scope: string, startDate: string, deadline: string, metrics: [string, string][]): Promise<string> {
  const input = {
    name: `Chiến dịch ${scope} ${startDate}`, scopeUnitId: ids[scope], startDate, deadline,
    metrics: metrics.map(([metric, countingMode]) => ({ metric, countingMode, allocationMode: 'LENIENT' })),
  };
  return ok(await gql(t, CREATE, { input }, admin.token)).createCampaign.campaign.id;
}
const assign = async (c: string, metric: string, parent: string, targets: Record<string, number>) =>
  ok(await gql(t, ASSIGN, { input: { campaignId: c, metric, parentUnitId: ids[parent], allocations: Object.entries(targets).map(([u, target]) => ({ unitId: ids[u], target })) } }, admin.token));
const report = async (code: string, asOf: string, metric: string, value: number) =>
  ok(await gql(t, REPORT, { input: { unitId: ids[code], asOf, values: [{ metric, value }] } }, admin.token));

const PROGRESS = `query($id: ID!, $c: ID!, $m: String) { unit(id: $id) { campaignProgress(campaignId: $c, metric: $m) {
  metric { code } countingMode asOf target value rate remaining rank siblingCount completedOn completionOrder pacePerDay projectedCompletionOn } } }`;
const progressOf = async (code: string, metric: string | null = 'eid.activated', c = campaign, token = admin.token) => {
  const list = ok(await gql(t, PROGRESS, { id: ids[code], c, m: metric }, token)).unit.campaignProgress;
  return metric === null ? list : list[0];
};

beforeAll(async () => {
  t = await startTestApp();
  await gridTree(t, ['A', 'B'], 3, 2, 2);
  admin = await principalWith(t, [{ role: 'SYSTEM_ADMIN', unit: 'A' }]);
  for (const c of ['A', 'A1', 'A2', 'A3', 'A1a', 'A1b', 'A2a', 'A1a-1', 'A1b-1', 'A2a-1', 'A3a-1', 'A3a-2', 'B', 'B1', 'B1a-1']) ids[c] = await unitId(t, c, admin.token);
  campaign = await createCampaign('A', '2023-09-01', '2023-11-30', [['eid.activated', 'CUMULATIVE'], ['eid.collected', 'SINCE_START'], ['eid.approved', 'CUMULATIVE']]);
  await assign(campaign, 'eid.activated', 'A', { A1: 100, A2: 100, A3: 100 });
  await assign(campaign, 'eid.activated', 'A1', { A1a: 50, A1b: 50 });
  await assign(campaign, 'eid.collected', 'A', { A1: 50 });
  // Back-dated reports, written out of order: A2 completes on 09-03, A1 on 09-10, A3 on 09-20 (after 40 before the start).
  await report('A3a-1', '2023-09-20', 'eid.activated', 120);
  await report('A1b-1', '2023-09-10', 'eid.activated', 50);
  await report('A3a-1', '2023-08-15', 'eid.activated', 40);
  await report('A1a-1', '2023-09-05', 'eid.activated', 60);
  await report('A2a-1', '2023-09-03', 'eid.activated', 100);
  // Collected: 200 before the start, 260 during the campaign → 60 since the start.
  await report('A1a-1', '2023-08-01', 'eid.collected', 200);
  await report('A1a-1', '2023-09-15', 'eid.collected', 260);
});
afterAll(() => t?.close());

describe('unit.campaignProgress', () => {
  it('gives value, target, an uncapped rate and remaining per counting mode', async () => {
    expect(await progressOf('A1')).toMatchObject({
      metric: { code: 'eid.activated' }, countingMode: 'CUMULATIVE', asOf: '2023-11-30', target: 100, value: 110, remaining: 0,
    });
    expect((await progressOf('A1')).rate).toBeCloseTo(1.1, 10);
    expect(await progressOf('A3')).toMatchObject({ value: 120, rate: 1.2 }); // CUMULATIVE counts the 40 reported before the start
    const collected = await progressOf('A1', 'eid.collected');
    expect(collected).toMatchObject({ countingMode: 'SINCE_START', target: 50, value: 60, rate: 1.2, remaining: 0 });
    const cumulative = ok(await gql(t, `query($id: ID!) { unit(id: $id) { progress(metric: "eid.collected", asOf: "2023-11-30") { value } } }`, { id: ids.A1 }, admin.token));
    expect(cumulative.unit.progress.value).toBe(260);
    expect(await progressOf('A2', 'eid.collected')).toMatchObject({ target: null, value: 0, rate: null, remaining: null, rank: null, siblingCount: null });
  });

  it('lists every metric of the campaign in catalogue order, or none for a campaign that does not cover the unit', async () => {
    const all = await progressOf('A1', null);
    expect(all.map((m: any) => m.metric.code)).toEqual(['eid.collected', 'eid.approved', 'eid.activated']);
    expect(await progressOf('B1', null)).toEqual([]);
    expect(await progressOf('A1', 'cccd.collected')).toBeUndefined();
  });

  it('ranks among siblings holding a quota and orders completions with back-dated reports', async () => {
    expect(await progressOf('A3')).toMatchObject({ rank: 1, siblingCount: 3, completedOn: '2023-09-20', completionOrder: 3 });
    expect(await progressOf('A1')).toMatchObject({ rank: 2, siblingCount: 3, completedOn: '2023-09-10', completionOrder: 2 });
    expect(await progressOf('A2')).toMatchObject({ rank: 3, siblingCount: 3, completedOn: '2023-09-03', completionOrder: 1 });
    expect(await progressOf('A1a')).toMatchObject({ value: 60, rate: 1.2, rank: 1, siblingCount: 2, completedOn: '2023-09-05', completionOrder: 1 });
    expect(await progressOf('A1b')).toMatchObject({ value: 50, rate: 1, rank: 2, siblingCount: 2, completedOn: '2023-09-10', completionOrder: 2 });
    expect(await progressOf('A')).toMatchObject({ target: null, value: 330, rank: null, completedOn: null, projectedCompletionOn: null });
  });

  it('projects the completion day from a steady 7-day pace', async () => {
    const live = await createCampaign('B', addDays(-20), addDays(60), [['eid.activated', 'CUMULATIVE']]);
    await assign(live, 'eid.activated', 'B', { B1: 1000 });
    await report('B1a-1', addDays(-14), 'eid.activated', 160);
    await report('B1a-1', addDays(-7), 'eid.activated', 300);
    await report('B1a-1', addDays(0), 'eid.activated', 440);
    const p = await progressOf('B1', 'eid.activated', live);
    expect(p).toMatchObject({ asOf: todayInVietnam(), value: 440, remaining: 560, pacePerDay: 20, projectedCompletionOn: addDays(28), completedOn: null });
    expect(await progressOf('A1')).toMatchObject({ pacePerDay: 0, projectedCompletionOn: null });
  });
});

const CHILDREN = `query($id: ID!, $c: ID!, $by: StandingField, $dir: SortDirection, $first: Int, $after: String) { unit(id: $id) {
  rankedChildren(campaignId: $c, metric: "eid.activated", by: $by, direction: $dir, first: $first, after: $after) {
    totalCount pageInfo { hasNextPage endCursor } nodes { rank position value rate remaining completedOn unit { code } } } } }`;
const RANKING = `query($c: ID!, $level: UnitLevel!, $first: Int, $after: String) { campaign(id: $c) {
  ranking(level: $level, metric: "eid.activated", first: $first, after: $after) {
    totalCount pageInfo { hasNextPage endCursor } nodes { rank target value rate completedOn unit { code } } } } }`;

describe('unit.rankedChildren and campaign.ranking', () => {
  it('orders children by a campaign figure, worst first by default', async () => {
    const byRate = ok(await gql(t, CHILDREN, { id: ids.A, c: campaign }, admin.token)).unit.rankedChildren;
    expect(byRate.nodes.map((n: any) => [n.unit.code, n.rank, n.position])).toEqual([['A2', 3, 1], ['A1', 2, 2], ['A3', 1, 3]]);
    expect(byRate.totalCount).toBe(3);
    const byValue = ok(await gql(t, CHILDREN, { id: ids.A, c: campaign, by: 'VALUE', dir: 'DESC', first: 2 }, admin.token)).unit.rankedChildren;
    expect(byValue.nodes.map((n: any) => n.unit.code)).toEqual(['A3', 'A1']);
    expect(byValue.pageInfo.hasNextPage).toBe(true);
    const next = ok(await gql(t, CHILDREN, { id: ids.A, c: campaign, by: 'VALUE', dir: 'DESC', first: 2, after: byValue.pageInfo.endCursor }, admin.token)).unit.rankedChildren;
    expect(next.nodes.map((n: any) => n.unit.code)).toEqual(['A2']);
    const communes = ok(await gql(t, CHILDREN, { id: ids.A2, c: campaign, by: 'REMAINING', dir: 'DESC' }, admin.token)).unit.rankedChildren;
    expect(communes.nodes.map((n: any) => [n.unit.code, n.rank, n.remaining])).toEqual([['A2a', null, null], ['A2b', null, null]]);
  });

  it('ranks the units of a level by rate, paginated', async () => {
    const first = ok(await gql(t, RANKING, { c: campaign, level: 'DISTRICT', first: 2 }, admin.token)).campaign.ranking;
    expect(first.totalCount).toBe(3);
    expect(first.nodes.map((n: any) => [n.rank, n.unit.code, n.target, n.value, n.completedOn])).toEqual([
      [1, 'A3', 100, 120, '2023-09-20'],
      [2, 'A1', 100, 110, '2023-09-10'],
    ]);
    const second = ok(await gql(t, RANKING, { c: campaign, level: 'DISTRICT', first: 2, after: first.pageInfo.endCursor }, admin.token)).campaign.ranking;
    expect(second.nodes.map((n: any) => [n.rank, n.unit.code])).toEqual([[3, 'A2']]);
    expect(second.pageInfo.hasNextPage).toBe(false);
    const communes = ok(await gql(t, RANKING, { c: campaign, level: 'COMMUNE', first: 3 }, admin.token)).campaign.ranking;
    expect(communes.totalCount).toBe(6);
    expect(communes.nodes.map((n: any) => n.unit.code)).toEqual(['A1a', 'A1b', 'A3a']); // without a quota after those with one, then by value desc (A3a 120 > A2a 100)
  });

  it('gives the same ranks and figures whether or not completion is asked (it is computed only when asked), through fragments too', async () => {
    const shape = (completion: boolean) => `query($c: ID!, $id: ID!) {
      campaign(id: $c) { ranking(level: DISTRICT, metric: "eid.activated", first: 10) { nodes { ...S unit { code
        campaignProgress(campaignId: $c) { metric { code } target value rate remaining rank siblingCount pacePerDay ${completion ? 'completedOn completionOrder' : ''} } } } } }
      unit(id: $id) { rankedChildren(campaignId: $c, metric: "eid.activated", by: VALUE) { nodes { ...S unit { code } } } } }
      fragment S on CampaignStanding { rank target value rate remaining ${completion ? '... on CampaignStanding { completedOn }' : ''} }`;
    const full = ok(await gql(t, shape(true), { c: campaign, id: ids.A }, admin.token));
    const lean = ok(await gql(t, shape(false), { c: campaign, id: ids.A }, admin.token));
    const strip = (x: unknown): unknown => JSON.parse(JSON.stringify(x, (k, v) => (k === 'completedOn' || k === 'completionOrder' ? undefined : v)));
    expect(strip(full)).toEqual(lean);
    expect(full.campaign.ranking.nodes.map((n: any) => [n.unit.code, n.completedOn])).toEqual([['A3', '2023-09-20'], ['A1', '2023-09-10'], ['A2', '2023-09-03']]);
    expect(full.campaign.ranking.nodes[0].unit.campaignProgress.find((p: any) => p.metric.code === 'eid.activated')).toMatchObject({ completedOn: '2023-09-20', completionOrder: 3 });
    expect(full.unit.rankedChildren.nodes.map((n: any) => n.completedOn)).toEqual(['2023-09-03', '2023-09-10', '2023-09-20']); // by value, ascending
  });

  it('keeps to the jurisdiction: a district viewer ranks only its units; other units and campaigns are NOT_FOUND', async () => {
    const viewer = await principalWith(t, [{ role: 'VIEWER', unit: 'A1' }]);
    const districts = ok(await gql(t, RANKING, { c: campaign, level: 'DISTRICT' }, viewer.token)).campaign.ranking;
    expect(districts.nodes.map((n: any) => n.unit.code)).toEqual(['A1']);
    expect(districts.totalCount).toBe(1);
    const communes = ok(await gql(t, RANKING, { c: campaign, level: 'COMMUNE' }, viewer.token)).campaign.ranking;
    expect(communes.nodes.map((n: any) => n.unit.code)).toEqual(['A1a', 'A1b']);
    // Its rank among siblings counts only the siblings it may see.
    expect(await progressOf('A1', 'eid.activated', campaign, viewer.token)).toMatchObject({ value: 110, rank: 1, siblingCount: 1 });
    expect(await progressOf('A1a', 'eid.activated', campaign, viewer.token)).toMatchObject({ rank: 1, siblingCount: 2 });
    expect(codeOf(await gql(t, PROGRESS, { id: ids.A2, c: campaign, m: null }, viewer.token))).toBe('NOT_FOUND');

    const other = await principalWith(t, [{ role: 'VIEWER', unit: 'B' }]);
    expect(codeOf(await gql(t, RANKING, { c: campaign, level: 'DISTRICT' }, other.token))).toBe('NOT_FOUND');
    expect(codeOf(await gql(t, PROGRESS, { id: ids.A1, c: campaign, m: null }, other.token))).toBe('NOT_FOUND');
    // A unit it can see, with a campaign it cannot: nothing.
    expect(await progressOf('B1', null, campaign, other.token)).toEqual([]);
    const ranked = ok(await gql(t, CHILDREN, { id: ids.B, c: campaign }, other.token)).unit.rankedChildren;
    expect(ranked).toMatchObject({ totalCount: 0, nodes: [] });
  });
});
