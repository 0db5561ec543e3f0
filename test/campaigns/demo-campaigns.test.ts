import type { EntityManager } from '@mikro-orm/postgresql';
import { startTestApp, type TestApp } from '../support/app';
import { gql, ok } from '../support/client';
import { principalWith } from '../support/principals';
import { seedDemoUnits } from '../../seeds/demo-units';
import { DEMO_CAMPAIGN_NAME, DEMO_NATIONAL_CAMPAIGN_NAME, seedDemoCampaigns } from '../../seeds/demo-campaigns';

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
  it('seeds a campaign per demo province and a national one, idempotently, readable through the API', async () => {
    const first = await seed();
    const [{ n }] = await t.sql<{ n: number }>('select count(*)::int as n from quota');
    expect(first).toEqual({ campaigns: 6, quotas: n });
    expect(await seed()).toEqual({ campaigns: 0, quotas: 0 });
    const quangNam = await principalWith(t, [{ role: 'VIEWER', unit: '49' }]);
    const { campaigns } = ok(await gql(t, `{ campaigns { totalCount nodes { id name status scopeUnit { code } } } }`, {}, quangNam.token));
    expect(campaigns.nodes.map((c: { name: string; scopeUnit: { code: string } | null }) => [c.name, c.scopeUnit?.code ?? null]).sort()).toEqual(
      [[DEMO_CAMPAIGN_NAME, '49'], [DEMO_NATIONAL_CAMPAIGN_NAME, null]].sort(),
    );
    const province = campaigns.nodes.find((c: { scopeUnit: unknown }) => c.scopeUnit).id;
    const q = `query($c: ID!) { unitByCode(code: "517") { quota(campaignId: $c, metric: "eid.collected") { target assignedBy { id } } } }`;
    expect(ok(await gql(t, q, { c: province }, quangNam.token)).unitByCode.quota).toEqual({ target: 62_600, assignedBy: null });
  });

  it('gives every unit of every demo province a quota, children summing exactly to their parent', async () => {
    const missing = await t.sql(
      `select u.code from campaign c join admin_unit s on s.id = c.scope_unit_id join admin_unit u on u.path <@ s.path
        cross join (values ('eid.collected'), ('eid.activated')) m(code)
        where not exists (select 1 from quota q where q.campaign_id = c.id and q.unit_id = u.id and q.metric_code = m.code)`,
    );
    expect(missing).toEqual([]);
    const unbalanced = await t.sql(
      `select p.code, q.metric_code, q.target, sum(cq.target)::int as children
         from quota q join admin_unit p on p.id = q.unit_id
         join admin_unit cu on cu.parent_id = p.id join quota cq on cq.campaign_id = q.campaign_id and cq.unit_id = cu.id and cq.metric_code = q.metric_code
        group by p.code, q.metric_code, q.target having sum(cq.target) <> q.target`,
    );
    expect(unbalanced).toEqual([]);
    const national = await t.sql<{ code: string; target: number }>(
      `select u.code, q.target from quota q join campaign c on c.id = q.campaign_id and c.scope_unit_id is null join admin_unit u on u.id = q.unit_id
        where q.metric_code = 'eid.activated' order by u.code`,
    );
    expect(national).toEqual([
      { code: '04', target: 228_984 }, { code: '49', target: 1_150_000 }, { code: '74', target: 1_005_735 }, { code: '75', target: 2_400_000 }, { code: '94', target: 654_392 },
    ]);
  });
});
