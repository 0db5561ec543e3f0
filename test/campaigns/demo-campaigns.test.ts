import type { EntityManager } from '@mikro-orm/postgresql';
import { startTestApp, type TestApp } from '../support/app';
import { gql, ok } from '../support/client';
import { principalWith } from '../support/principals';
import { seedDemoUnits } from '../../seeds/demo-units';
import { DEMO_CAMPAIGN_NAME, seedDemoCampaigns } from '../../seeds/demo-campaigns';

let t: TestApp;
beforeAll(async () => {
  t = await startTestApp();
});
afterAll(() => t?.close());

const seed = () =>
  t.app.orm.em.fork().transactional(async (tx) => {
    await seedDemoUnits(tx as EntityManager);
    return seedDemoCampaigns(tx as EntityManager);
  });

describe('demo campaigns', () => {
  it('seeds the figures of the articles, idempotently, readable through the API', async () => {
    expect(await seed()).toEqual({ campaigns: 4, quotas: 5 });
    expect(await seed()).toEqual({ campaigns: 0, quotas: 0 });
    const quangNam = await principalWith(t, [{ role: 'VIEWER', unit: '49' }]);
    const { campaigns } = ok(await gql(t, `{ campaigns { totalCount nodes { id name status scopeUnit { code } } } }`, {}, quangNam.token));
    expect(campaigns.totalCount).toBe(1);
    expect(campaigns.nodes[0]).toMatchObject({ name: DEMO_CAMPAIGN_NAME, status: 'ACTIVE', scopeUnit: { code: '49' } });
    const q = `query($c: ID!) { unitByCode(code: "517") { quota(campaignId: $c, metric: "eid.collected") { target assignedBy { id } } } }`;
    const data = ok(await gql(t, q, { c: campaigns.nodes[0].id }, quangNam.token));
    expect(data.unitByCode.quota).toEqual({ target: 62_600, assignedBy: null });
    const rows = await t.sql<{ code: string; metric_code: string; target: number }>(
      `select u.code, q.metric_code, q.target from quota q join admin_unit u on u.id = q.unit_id order by u.code, q.metric_code`,
    );
    expect(rows).toEqual([
      { code: '04', metric_code: 'eid.activated', target: 228_984 },
      { code: '517', metric_code: 'eid.activated', target: 62_600 },
      { code: '517', metric_code: 'eid.collected', target: 62_600 },
      { code: '74', metric_code: 'eid.activated', target: 1_005_735 },
      { code: '94', metric_code: 'eid.activated', target: 654_392 },
    ]);
  });
});
