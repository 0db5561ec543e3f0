import { startTestApp, type TestApp } from '../support/app';
import { codeOf, gql, ok } from '../support/client';
import { principalWith, type TestPrincipal } from '../support/principals';
import { gridTree, REPORT, unitId } from './support';

/*
 * A national campaign has no scope unit: it covers the whole country, provinces get quotas from
 * SYSTEM_ADMIN and are ranked against each other ("Cao Bằng was the 19th province to finish").
 */
let t: TestApp;
let sysadmin: TestPrincipal;
let provinceAdmin: TestPrincipal;
let viewerB: TestPrincipal;
const ids: Record<string, string> = {};
let campaign: string;

const CREATE = `mutation($input: CreateCampaignInput!) { createCampaign(input: $input) { campaign { id scopeUnit { code } } } }`;
const ASSIGN = `mutation($input: AssignQuotasInput!) { assignQuotas(input: $input) { changed } }`;
const PROGRESS = `query($id: ID!, $c: ID!) { unit(id: $id) { campaignProgress(campaignId: $c, metric: "eid.activated") {
  target value rate rank siblingCount completedOn completionOrder } } }`;
const RANKING = `query($c: ID!) { campaign(id: $c) { ranking(level: PROVINCE, metric: "eid.activated") { totalCount nodes { rank unit { code } rate completedOn } } } }`;

beforeAll(async () => {
  t = await startTestApp();
  await gridTree(t, ['A', 'B', 'C'], 1, 1, 1);
  sysadmin = await principalWith(t, [{ role: 'SYSTEM_ADMIN', unit: 'A' }]);
  provinceAdmin = await principalWith(t, [{ role: 'ADMIN', unit: 'A' }]);
  viewerB = await principalWith(t, [{ role: 'VIEWER', unit: 'B1a-1' }]);
  for (const c of ['A', 'B', 'C', 'A1a-1', 'B1a-1', 'C1a-1']) ids[c] = await unitId(t, c, sysadmin.token);
  const input = { name: 'Chiến dịch toàn quốc', startDate: '2023-01-01', deadline: '2023-12-31', metrics: [{ metric: 'eid.activated' }] };
  const created = ok(await gql(t, CREATE, { input }, sysadmin.token)).createCampaign.campaign;
  expect(created.scopeUnit).toBeNull();
  campaign = created.id;
  ok(await gql(t, ASSIGN, { input: { campaignId: campaign, metric: 'eid.activated', allocations: [{ unitId: ids.A, target: 100 }, { unitId: ids.B, target: 200 }, { unitId: ids.C, target: 50 }] } }, sysadmin.token));
  const report = (code: string, asOf: string, value: number) =>
    gql(t, REPORT, { input: { unitId: ids[code], asOf, values: [{ metric: 'eid.activated', value }] } }, sysadmin.token).then(ok);
  await report('C1a-1', '2023-03-01', 60); // C finishes first
  await report('A1a-1', '2023-08-25', 107); // A second, overshooting (rate 1.07)
  await report('B1a-1', '2023-05-01', 150); // B not yet
});
afterAll(() => t?.close());

it('is created by SYSTEM_ADMIN only', async () => {
  const input = { name: 'X', startDate: '2023-01-01', deadline: '2023-02-01', metrics: [{ metric: 'eid.activated' }] };
  expect(codeOf(await gql(t, CREATE, { input }, provinceAdmin.token))).toBe('FORBIDDEN');
});

it('ranks provinces against each other and orders their completions', async () => {
  expect(ok(await gql(t, PROGRESS, { id: ids.A, c: campaign }, sysadmin.token)).unit.campaignProgress[0]).toMatchObject({
    target: 100, value: 107, rate: 1.07, rank: 2, siblingCount: 3, completedOn: '2023-08-25', completionOrder: 2,
  });
  expect(ok(await gql(t, PROGRESS, { id: ids.C, c: campaign }, sysadmin.token)).unit.campaignProgress[0]).toMatchObject({ rank: 1, completionOrder: 1 });
  const ranking = ok(await gql(t, RANKING, { c: campaign }, sysadmin.token)).campaign.ranking;
  expect(ranking.totalCount).toBe(3);
  expect(ranking.nodes.map((n: any) => [n.rank, n.unit.code])).toEqual([[1, 'C'], [2, 'A'], [3, 'B']]);
});

it('is visible to everyone, but rankings show only units in the reader\'s jurisdiction', async () => {
  const ranking = ok(await gql(t, RANKING, { c: campaign }, viewerB.token)).campaign.ranking;
  expect(ranking.nodes.map((n: any) => n.unit.code)).toEqual([]);
  expect(codeOf(await gql(t, PROGRESS, { id: ids.A, c: campaign }, viewerB.token))).toBe('NOT_FOUND');
  expect(codeOf(await gql(t, ASSIGN, { input: { campaignId: campaign, metric: 'eid.activated', allocations: [{ unitId: ids.A, target: 1 }] } }, provinceAdmin.token))).toBe('FORBIDDEN');
});
