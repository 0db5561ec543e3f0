import { startTestApp, type TestApp } from '../support/app';
import { gql, ok } from '../support/client';
import { principalWith, type TestPrincipal } from '../support/principals';
import { gridTree, REPORT, unitId } from './support';

let t: TestApp;
let admin: TestPrincipal;

const CREATE = `mutation($input: CreateCampaignInput!) { createCampaign(input: $input) { campaign { id } } }`;
const ASSIGN = `mutation($input: AssignQuotasInput!) { assignQuotas(input: $input) { changed } }`;
const METRICS = ['eid.collected', 'eid.approved', 'eid.activated'];

/** A campaign over a grid province, quotas for its districts and communes on all three metrics, and some reports. */
async function campaignOver(p: string, districts: number, communes: number): Promise<{ unit: string; campaign: string }> {
  const id = (code: string) => unitId(t, code, admin.token);
  const input = {
    name: `Chiến dịch ${p}`, scopeUnitId: await id(p), startDate: '2023-09-01', deadline: '2023-11-30',
    metrics: METRICS.map((metric, i) => ({ metric, countingMode: i === 0 ? 'SINCE_START' : 'CUMULATIVE', allocationMode: 'LENIENT' })),
  };
  const campaign = ok(await gql(t, CREATE, { input }, admin.token)).createCampaign.campaign.id;
  for (const metric of METRICS) {
    const ds = Array.from({ length: districts }, (_, d) => `${p}${d + 1}`);
    ok(await gql(t, ASSIGN, { input: { campaignId: campaign, metric, parentUnitId: await id(p), allocations: await Promise.all(ds.map(async (d, i) => ({ unitId: await id(d), target: 100 + i }))) } }, admin.token));
    for (const d of ds) {
      const cs = Array.from({ length: communes }, (_, c) => `${d}${'abcdefgh'[c]}`);
      ok(await gql(t, ASSIGN, { input: { campaignId: campaign, metric, parentUnitId: await id(d), allocations: await Promise.all(cs.map(async (c, i) => ({ unitId: await id(c), target: 20 + i }))) } }, admin.token));
      for (const [i, c] of cs.entries()) {
        ok(await gql(t, REPORT, { input: { unitId: await id(`${c}-1`), asOf: `2023-09-0${1 + (i % 8)}`, values: METRICS.map((m, j) => ({ metric: m, value: 30 - j * 5 + i })) } }, admin.token));
      }
    }
  }
  return { unit: await id(p), campaign };
}

beforeAll(async () => {
  t = await startTestApp();
  await gridTree(t, ['BIG'], 4, 4, 1); // 1 + 4 districts + 16 communes
  await gridTree(t, ['SML'], 2, 4, 1); // 1 + 2 districts + 8 communes
  admin = await principalWith(t, [{ role: 'SYSTEM_ADMIN', unit: 'BIG' }]);
});
afterAll(() => t?.close());

// Pages of 10 hold every child here (at most 4 per level) and keep the query under the default cost limit.
const QUERY = `query($id: ID!, $c: ID!) {
  campaign(id: $c) { ranking(level: COMMUNE, metric: "eid.activated", first: 50) { totalCount nodes { rank value rate completedOn unit { code } } } }
  unit(id: $id) { ...F
    rankedChildren(campaignId: $c, metric: "eid.activated", first: 10) { totalCount nodes { rank position rate unit { ...F
      rankedChildren(campaignId: $c, metric: "eid.collected", by: VALUE, direction: DESC, first: 10) { totalCount nodes { rank unit { ...F } } } } } }
    children(first: 10) { nodes { code children(first: 10) { nodes { ...F } } } } } }
  fragment F on Unit { code campaignProgress(campaignId: $c) {
    metric { code } countingMode target value rate remaining rank siblingCount completedOn completionOrder pacePerDay projectedCompletionOn } }`;

describe('bounded statements for campaign progress', () => {
  it('costs the same for twice the units: campaignProgress (3 metrics), rankedChildren, ranking over a province, districts and communes', async () => {
    const counts: number[] = [];
    for (const [p, d] of [['BIG', 4], ['SML', 2]] as const) {
      const { unit, campaign } = await campaignOver(p, d, 4);
      const r = await gql(t, QUERY, { id: unit, c: campaign }, admin.token);
      ok(r);
      const top = r.data.unit;
      expect(top.rankedChildren.nodes).toHaveLength(d);
      const communes = top.rankedChildren.nodes.flatMap((n: any) => n.unit.rankedChildren.nodes);
      expect(communes).toHaveLength(d * 4);
      expect(communes.every((n: any) => n.unit.campaignProgress.length === 3 && n.unit.campaignProgress.every((m: any) => m.rank !== null && m.siblingCount === 4))).toBe(true);
      expect(r.data.campaign.ranking.totalCount).toBe(d * 4);
      counts.push(r.extensions!.sqlStatements!);
    }
    console.log(`campaign progress sqlStatements: ${counts.join(' / ')} (21 / 11 units)`);
    expect(counts[0]).toBe(counts[1]);
    expect(counts[0]).toBeLessThanOrEqual(15);
  });
});
