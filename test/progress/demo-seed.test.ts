import { toGlobalId } from '../../src/common/global-id';
import type { EntityManager } from '@mikro-orm/postgresql';
import { startTestApp, type TestApp } from '../support/app';
import { gql, ok } from '../support/client';
import { principalWith } from '../support/principals';
import { seedDemoUnits } from '../../seeds/demo-units';
import { largestRemainder, seedDemoProgress } from '../../seeds/demo-progress';
import { seedDemoCampaigns } from '../../seeds/demo-campaigns';

let t: TestApp;
beforeAll(async () => {
  t = await startTestApp();
  const em = t.app.orm.em.fork() as EntityManager;
  await em.transactional((tx) => seedDemoUnits(tx as EntityManager));
  await em.transactional((tx) => seedDemoCampaigns(tx as EntityManager));
  const first = await em.transactional((tx) => seedDemoProgress(tx as EntityManager));
  expect(first.changed).toBeGreaterThan(1000);
});
afterAll(() => t?.close());

const Q = `query($c: String!, $m: String!, $d: Date) { unitByCode(code: $c) { progress(metric: $m, asOf: $d) { value reportingUnits reportedUnits } } }`;

describe('demo progress', () => {
  it('reproduces the figures of the articles through GraphQL', async () => {
    const admin = await principalWith(t, [{ role: 'SYSTEM_ADMIN', unit: '49' }]);
    const value = async (c: string, m: string, d: string) => ok(await gql(t, Q, { c, m, d }, admin.token)).unitByCode.progress.value;
    expect(await value('517', 'eid.collected', '2023-06-30')).toBe(52_000);
    expect(await value('517', 'eid.activated', '2023-06-30')).toBe(23_048);
    expect(await value('49', 'eid.activated', '2023-06-30')).toBe(23_048);
    expect(await value('94', 'eid.activated', '2023-10-23')).toBe(354_938);
    expect(await value('74', 'eid.activated', '2023-03-21')).toBe(172_986);
    expect(await value('74', 'eid.approved', '2023-03-21')).toBe(556_290);
    expect(await value('04', 'eid.activated', '2023-08-25')).toBe(245_710);
    expect(await value('04', 'eid.collected', '2023-08-25')).toBe(278_698);
    expect(await value('517', 'eid.collected', '2023-06-01')).toBeLessThan(52_000);
    const fig = ok(await gql(t, Q, { c: '517', m: 'eid.collected', d: '2023-06-30' }, admin.token)).unitByCode.progress;
    expect(fig.reportedUnits).toBe(fig.reportingUnits);
  });

  it('reads the articles\' rates through campaignProgress (Núi Thành 52,000/62,600; Cao Bằng 245,710/228,984)', async () => {
    const admin = await principalWith(t, [{ role: 'SYSTEM_ADMIN', unit: '49' }]);
    const campaignOf = async (scope: string) =>
      ok(await gql(t, `query($u: ID!) { campaigns(unitId: $u) { nodes { id scopeUnit { code } } } }`, { u: ok(await gql(t, `{ unitByCode(code: "${scope}") { id } }`, {}, admin.token)).unitByCode.id }, admin.token))
        .campaigns.nodes.find((c: { scopeUnit: { code: string } | null }) => c.scopeUnit?.code === scope).id;
    const P = `query($code: String!, $c: ID!, $m: String!) { unitByCode(code: $code) { campaignProgress(campaignId: $c, metric: $m) {
      countingMode target value rate remaining rank siblingCount completedOn completionOrder } } }`;
    const progress = async (code: string, scope: string, m: string) => ok(await gql(t, P, { code, c: await campaignOf(scope), m }, admin.token)).unitByCode.campaignProgress[0];
    const nuiThanh = await progress('517', '49', 'eid.collected');
    // ranked among Quảng Nam's 17 districts, every one with a quota; the others report nothing in the demo
    expect(nuiThanh).toMatchObject({ countingMode: 'CUMULATIVE', value: 52_000, target: 62_600, remaining: 10_600, rank: 1, siblingCount: 17, completedOn: null });
    expect(nuiThanh.rate).toBeCloseTo(0.8307, 4);
    const activated = await progress('517', '49', 'eid.activated');
    expect(activated.rate).toBeCloseTo(0.3682, 4); // 23,048 / 62,600
    const caoBang = await progress('04', '04', 'eid.activated');
    expect(caoBang).toMatchObject({ value: 245_710, target: 228_984, remaining: 0, completionOrder: 1 });
    expect(caoBang.rate).toBeCloseTo(1.073, 3);
    // Reached before the campaign started (2023-08-25), so it counts as complete from the first day of the campaign.
    expect(caoBang.completedOn).toBe('2023-09-01');
  });

  it('ranks the demo provinces in the national campaign, and explains the not-yet-activated with reasons', async () => {
    const admin = await principalWith(t, [{ role: 'SYSTEM_ADMIN', unit: '49' }]);
    const [{ id }] = await t.sql<{ id: number }>('select id from campaign where scope_unit_id is null');
    const R = `query($c: ID!) { campaign(id: $c) { ranking(level: PROVINCE, metric: "eid.activated") { totalCount nodes { rank unit { code } value target } } } }`;
    const ranking = ok(await gql(t, R, { c: toGlobalId('Campaign', id) }, admin.token)).campaign.ranking;
    expect(ranking.totalCount).toBe(5);
    expect(ranking.nodes.filter((n: { value: number }) => n.value > 0)).toHaveLength(5);
    expect(ranking.nodes[0].unit.code).toBe('04'); // Cao Bằng, 107%
    const reasons = ok(await gql(t, `{ unitByCode(code: "20974") { reasons(asOf: "2023-06-30") { metric { code } value } } }`, {}, admin.token)).unitByCode.reasons;
    expect(reasons.length).toBeGreaterThan(3);
    expect(reasons[0].metric.code).toBe('reason.no_smartphone');
  });

  it('is idempotent and keeps collected ≥ approved ≥ activated in every hamlet', async () => {
    const em = t.app.orm.em.fork() as EntityManager;
    expect((await em.transactional((tx) => seedDemoProgress(tx as EntityManager))).changed).toBe(0);
    const bad = await t.sql(
      `select c.unit_id from progress_report c join progress_report a on a.unit_id = c.unit_id and a.as_of = c.as_of and a.metric = 'eid.activated'
        where c.metric = 'eid.collected' and a.value > c.value`,
    );
    expect(bad).toHaveLength(0);
  });

  it('splits by largest remainder exactly', () => {
    expect(largestRemainder(10, [1, 1, 1])).toEqual([4, 3, 3]);
    expect(largestRemainder(23_048, [3, 5, 7, 11]).reduce((a, b) => a + b, 0)).toBe(23_048);
  });
});
