import { startTestApp, type TestApp } from '../support/app';
import { gql, ok } from '../support/client';
import { principalWith, type TestPrincipal } from '../support/principals';
import { todayInVietnam } from '../../src/common/scalars';
import { gridTree, IMPORT, recomputed, unitId } from './support';

/*
 * Campaign figures (value per counting mode, 7-day pace) against the truth recomputed from the reports with plain
 * SQL, on random reports spread over 40 days (some after the day asked for), as of today and of past days: the
 * statement reads a running campaign's totals from rollup_total and only its last days, a past day's from the series.
 */

let t: TestApp;
let admin: TestPrincipal;
const today = todayInVietnam();
const day = (n: number) => new Date(Date.parse(`${today}T00:00:00Z`) + n * 86_400_000).toISOString().slice(0, 10);
const CREATE = `mutation($input: CreateCampaignInput!) { createCampaign(input: $input) { campaign { id } } }`;
const ASSIGN = `mutation($input: AssignQuotasInput!) { assignQuotas(input: $input) { changed } }`;

let seed = 7;
const random = () => ((seed = (seed * 1103515245 + 12345) % 2147483648) / 2147483648);

beforeAll(async () => {
  t = await startTestApp();
  await gridTree(t, ['OR'], 2, 2, 3); // 1 + 2 districts + 4 communes + 12 hamlets
  admin = await principalWith(t, [{ role: 'SYSTEM_ADMIN', unit: 'OR' }]);
  const rows: { unitCode: string; metric: string; asOf: string; value: number }[] = [];
  for (const d of [1, 2]) for (const c of 'ab') for (let h = 1; h <= 3; h++) {
    let collected = 0;
    for (let n = -40; n <= 0; n++) {
      if (random() < 0.6) continue;
      collected += 1 + Math.floor(random() * 20);
      rows.push({ unitCode: `OR${d}${c}-${h}`, metric: 'eid.collected', asOf: day(n), value: collected });
      rows.push({ unitCode: `OR${d}${c}-${h}`, metric: 'eid.approved', asOf: day(n), value: Math.floor(collected / 2) });
    }
  }
  ok(await gql(t, IMPORT, { input: { rows } }, admin.token));
});
afterAll(() => t?.close());

async function campaignFrom(start: string, deadline: string): Promise<string> {
  const input = {
    name: `Chiến dịch OR ${start} ${deadline}`, scopeUnitId: await unitId(t, 'OR', admin.token), startDate: start, deadline,
    metrics: [{ metric: 'eid.collected', countingMode: 'CUMULATIVE', allocationMode: 'LENIENT' }, { metric: 'eid.approved', countingMode: 'SINCE_START', allocationMode: 'LENIENT' }],
  };
  const id = ok(await gql(t, CREATE, { input }, admin.token)).createCampaign.campaign.id;
  for (const metric of ['eid.collected', 'eid.approved']) {
    const allocations = await Promise.all(['OR1', 'OR2'].map(async (u, i) => ({ unitId: await unitId(t, u, admin.token), target: 300 + 100 * i })));
    ok(await gql(t, ASSIGN, { input: { campaignId: id, metric, parentUnitId: await unitId(t, 'OR', admin.token), allocations } }, admin.token));
  }
  return id;
}

describe('campaign figures against the reports', () => {
  it.each([
    ['running, as of today', -20, 30, null],
    ['running, as of a past day with reports after it', -20, 30, -9],
    ['running, as of the day before it started', -20, 30, -21],
    ['past its deadline, with reports after it', -35, -12, null],
  ])('%s', async (_what, start, deadline, asOf) => {
    const campaign = await campaignFrom(day(start), day(deadline));
    const end = [asOf === null ? today : day(asOf), day(deadline)].sort()[0];
    const truth = await recomputed(t, [end, day(start - 1), addTo(end, -7)]);
    const ids = new Map((await t.sql<{ id: number; code: string }>(`select id, code from admin_unit where code like 'OR%' and level <> 'HAMLET'`)).map((r) => [r.code, r.id]));
    const r = ok(await gql(t, `query($c: ID!, $d: Date) { unitByCode(code: "OR") { ...F children { nodes { ...F children { nodes { ...F } } } } } }
      fragment F on Unit { code campaignProgress(campaignId: $c, asOf: $d) { metric { code } countingMode asOf value pacePerDay rank } }`, { c: campaign, d: asOf === null ? null : day(asOf) }, admin.token));
    const units = [r.unitByCode, ...r.unitByCode.children.nodes, ...r.unitByCode.children.nodes.flatMap((n: any) => n.children.nodes)];
    expect(units).toHaveLength(7);
    let compared = 0;
    for (const u of units) {
      for (const p of u.campaignProgress) {
        const at = (d: string) => truth.get(`${ids.get(u.code)}|${p.metric.code}|${d}`)!.value;
        const value = at(end) - (p.countingMode === 'SINCE_START' ? at(day(start - 1)) : 0);
        expect({ unit: u.code, metric: p.metric.code, asOf: p.asOf, value: p.value, pace: p.pacePerDay }).toEqual({
          unit: u.code, metric: p.metric.code, asOf: end, value, pace: (at(end) - at(addTo(end, -7))) / 7,
        });
        compared++;
      }
    }
    expect(compared).toBe(14);
  });
});

function addTo(d: string, n: number): string {
  return new Date(Date.parse(`${d}T00:00:00Z`) + n * 86_400_000).toISOString().slice(0, 10);
}
