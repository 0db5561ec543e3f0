import { startTestApp, type TestApp } from '../support/app';
import { gql, codeOf, ok } from '../support/client';
import { principalWith, type TestPrincipal } from '../support/principals';
import { createCampaign, NUI_THANH_COMMUNES, nuiThanhTree, unitGid } from './fixtures';

let t: TestApp;
let ids: Record<string, number>;
let sys: TestPrincipal;
let quangNamAdmin: TestPrincipal;
let nuiThanhAdmin: TestPrincipal;
let communeAdmin: TestPrincipal;
let daNangAdmin: TestPrincipal;
let communeViewer: TestPrincipal;
let campaignId: string;

const ASSIGN = `mutation($input: AssignQuotasInput!) { assignQuotas(input: $input) {
  changed parentQuota { target allocatedToChildren unallocated overAllocated childrenWithQuota }
  quotas { unit { code } metric target assignedBy { displayName } allocatedToChildren } } }`;

const assign = (token: string, metric: string, parent: string | null, allocations: [string, number][], campaign = campaignId) =>
  gql(t, ASSIGN, {
    input: {
      campaignId: campaign,
      metric,
      parentUnitId: parent === null ? null : unitGid(ids[parent]),
      allocations: allocations.map(([code, target]) => ({ unitId: unitGid(ids[code]), target })),
    },
  }, token);

const quotaCount = async () => (await t.sql<{ n: number }>('select count(*)::int as n from quota'))[0].n;
const historyCount = async () => (await t.sql<{ n: number }>('select count(*)::int as n from quota_history'))[0].n;
const auditCount = async () => (await t.sql<{ n: number }>(`select count(*)::int as n from audit_entry where action = 'quota.assign'`))[0].n;
const snapshot = async () => [await quotaCount(), await historyCount(), await auditCount(), await t.sql('select unit_id, metric_code, target from quota order by 1, 2')];

/** 16 communes at 3,700 and one at 3,400: exactly 62,600. */
const split = (): [string, number][] => NUI_THANH_COMMUNES.map((c, i) => [c, i === 16 ? 3_400 : 3_700]);

beforeAll(async () => {
  t = await startTestApp();
  ids = await nuiThanhTree(t);
  sys = await principalWith(t, [{ role: 'SYSTEM_ADMIN', unit: '49' }], 'national');
  quangNamAdmin = await principalWith(t, [{ role: 'ADMIN', unit: '49' }], 'Chủ tịch UBND tỉnh');
  nuiThanhAdmin = await principalWith(t, [{ role: 'ADMIN', unit: '517' }], 'Công an huyện Núi Thành');
  communeAdmin = await principalWith(t, [{ role: 'ADMIN', unit: '20974' }], 'tam-tien');
  daNangAdmin = await principalWith(t, [{ role: 'ADMIN', unit: '48' }], 'da-nang');
  communeViewer = await principalWith(t, [{ role: 'VIEWER', unit: '20974' }], 'tam-tien-viewer');
  await t.sql('update principal set display_name = $1 where id = $2', ['Chủ tịch UBND tỉnh', quangNamAdmin.id]);
  await t.sql('update principal set display_name = $1 where id = $2', ['Công an huyện Núi Thành', nuiThanhAdmin.id]);
  campaignId = await createCampaign(t, sys.token, ids['49']);
  ok(await gql(t, `mutation($id: ID!) { activateCampaign(input: { id: $id }) { campaign { status } } }`, { id: campaignId }, sys.token));
});
afterAll(() => t?.close());

describe('assigning quotas down Quảng Nam → Núi Thành → communes (the Núi Thành case)', () => {
  it('province quotas (top level) are for SYSTEM_ADMIN only', async () => {
    const before = await snapshot();
    expect(codeOf(await assign(quangNamAdmin.token, 'eid.activated', null, [['49', 1_000_000]]))).toBe('FORBIDDEN');
    expect(await snapshot()).toEqual(before);
    const data = ok(await assign(sys.token, 'eid.activated', null, [['49', 1_000_000]]));
    expect(data.assignQuotas).toMatchObject({ changed: 1, parentQuota: null, quotas: [{ unit: { code: '49' }, target: 1_000_000 }] });
  });

  it('the province ADMIN assigns 62,600 to Núi Thành (strictly below its unit)', async () => {
    const data = ok(await assign(quangNamAdmin.token, 'eid.activated', '49', [['517', 62_600]])).assignQuotas;
    expect(data.quotas).toEqual([
      { unit: { code: '517' }, metric: 'eid.activated', target: 62_600, assignedBy: { displayName: 'Chủ tịch UBND tỉnh' }, allocatedToChildren: 0 },
    ]);
    expect(data.parentQuota).toMatchObject({ target: 1_000_000, allocatedToChildren: 62_600, unallocated: 937_400, overAllocated: false });
  });

  it('the province ADMIN cannot set its own province quota', async () => {
    const before = await snapshot();
    expect(codeOf(await assign(quangNamAdmin.token, 'eid.activated', null, [['49', 5]]))).toBe('FORBIDDEN');
    expect(await snapshot()).toEqual(before);
  });

  it('the district ADMIN splits 62,600 over its 17 communes in one call', async () => {
    const before = await auditCount();
    const data = ok(await assign(nuiThanhAdmin.token, 'eid.activated', '517', split())).assignQuotas;
    expect(data.changed).toBe(17);
    expect(data.quotas).toHaveLength(17);
    expect(data.parentQuota).toEqual({ target: 62_600, allocatedToChildren: 62_600, unallocated: 0, overAllocated: false, childrenWithQuota: 17 });
    expect((await auditCount()) - before).toBe(17);
    // Idempotent: the same split again changes nothing and logs nothing.
    expect(ok(await assign(nuiThanhAdmin.token, 'eid.activated', '517', split())).assignQuotas.changed).toBe(0);
    expect((await auditCount()) - before).toBe(17);
  });

  it('STRICT: an over-allocation is refused with CONFLICT naming the numbers, and nothing is written', async () => {
    const before = await snapshot();
    const res = await assign(nuiThanhAdmin.token, 'eid.activated', '517', [['20965', 3_701], ['20968', 3_700]]);
    expect(codeOf(res)).toBe('CONFLICT');
    expect(res.errors![0].extensions).toMatchObject({ parentTarget: 62_600, allocated: 55_200, requested: 7_401 });
    expect(res.errors![0].message).toContain('62600');
    expect(await snapshot()).toEqual(before);
  });

  it('LENIENT: an over-allocation is accepted and the parent quota flagged', async () => {
    ok(await assign(quangNamAdmin.token, 'eid.collected', '49', [['517', 62_600]]));
    const data = ok(await assign(nuiThanhAdmin.token, 'eid.collected', '517', NUI_THANH_COMMUNES.map((c) => [c, 3_800] as [string, number]))).assignQuotas;
    expect(data.parentQuota).toMatchObject({ target: 62_600, allocatedToChildren: 64_600, unallocated: -2_000, overAllocated: true });
  });

  it('a commune ADMIN cannot set its own commune quota (FORBIDDEN), nothing written', async () => {
    const before = await snapshot();
    expect(codeOf(await assign(communeAdmin.token, 'eid.activated', '517', [['20974', 10]]))).toBe('FORBIDDEN');
    expect(await snapshot()).toEqual(before);
  });

  it('reports every bad allocation with its path, and writes nothing', async () => {
    const before = await snapshot();
    const res = await gql(t, ASSIGN, {
      input: {
        campaignId,
        metric: 'eid.activated',
        parentUnitId: unitGid(ids['517']),
        allocations: [
          { unitId: unitGid(ids['20965']), target: 1 },
          { unitId: unitGid(ids['20314']), target: 1 }, // another province: invisible
          { unitId: unitGid(ids['20968']), target: -5 },
          { unitId: unitGid(ids['20965']), target: 2 }, // twice
          { unitId: 'garbage', target: 1 },
        ],
      },
    }, nuiThanhAdmin.token);
    expect(codeOf(res)).toBe('BAD_USER_INPUT');
    expect(res.errors![0].extensions.fieldPaths).toEqual([
      'input.allocations.1.unitId', 'input.allocations.2.target', 'input.allocations.3.unitId', 'input.allocations.4.unitId',
    ]);
    expect(await snapshot()).toEqual(before);
    const notChild = await assign(sys.token, 'eid.activated', '517', [['20929', 1]]);
    expect(res.errors![0].extensions.code).toBe('BAD_USER_INPUT');
    expect(notChild.errors![0].extensions.fieldPaths).toEqual(['input.allocations.0.unitId']);
    const wrongMetric = await assign(sys.token, 'cccd.collected', '517', [['20965', 1]]);
    expect(wrongMetric.errors![0].extensions.fieldPaths).toEqual(['input.metric']);
    expect(await snapshot()).toEqual(before);
  });

  it('quotas outside the campaign scope are refused', async () => {
    const narrow = await createCampaign(t, sys.token, ids['517'], { name: 'Núi Thành only' });
    const res = await assign(sys.token, 'eid.activated', '49', [['518', 100]], narrow);
    expect(res.errors![0].extensions.fieldPaths).toEqual(['input.allocations.0.unitId']);
    // The scope unit itself gets its quota from above.
    expect(ok(await assign(quangNamAdmin.token, 'eid.activated', '49', [['517', 100]], narrow)).assignQuotas.changed).toBe(1);
    expect(codeOf(await assign(nuiThanhAdmin.token, 'eid.activated', '49', [['517', 100]], narrow))).toBe('FORBIDDEN');
  });
});

const UNIT_QUOTA = `query($id: ID!, $c: ID!) { unit(id: $id) { code
  quota(campaignId: $c, metric: "eid.activated") { target allocatedToChildren childrenWithQuota assignedBy { id displayName } assignedAt }
  quotaHistory(campaignId: $c, metric: "eid.activated", first: 10) { totalCount nodes { oldTarget newTarget changedBy { displayName } requestId } } } }`;

describe('reading quotas', () => {
  it('shows a commune its quota and its history, newest first', async () => {
    ok(await assign(nuiThanhAdmin.token, 'eid.activated', '517', [['20974', 3_600]]));
    const u = ok(await gql(t, UNIT_QUOTA, { id: unitGid(ids['20974']), c: campaignId }, communeViewer.token)).unit;
    expect(u.quota).toMatchObject({ target: 3_600, allocatedToChildren: 0, childrenWithQuota: 0, assignedBy: { displayName: 'Công an huyện Núi Thành' } });
    expect(u.quotaHistory.totalCount).toBe(2);
    expect(u.quotaHistory.nodes.map((n: any) => [n.oldTarget, n.newTarget])).toEqual([[3_700, 3_600], [null, 3_700]]);
    expect(u.quotaHistory.nodes[0].requestId).toEqual(expect.any(String));
    const d = ok(await gql(t, UNIT_QUOTA, { id: unitGid(ids['517']), c: campaignId }, quangNamAdmin.token)).unit;
    expect(d.quota).toMatchObject({ target: 62_600, allocatedToChildren: 62_500, childrenWithQuota: 17 });
    expect(d.quotaHistory.nodes).toEqual([{ oldTarget: null, newTarget: 62_600, changedBy: { displayName: 'Chủ tịch UBND tỉnh' }, requestId: expect.any(String) }]);
  });

  it('hides the campaign and its quotas from another province', async () => {
    expect(codeOf(await gql(t, `query($id: ID!) { campaign(id: $id) { name } }`, { id: campaignId }, daNangAdmin.token))).toBe('NOT_FOUND');
    expect(codeOf(await gql(t, UNIT_QUOTA, { id: unitGid(ids['517']), c: campaignId }, daNangAdmin.token))).toBe('NOT_FOUND');
    const own = ok(await gql(t, UNIT_QUOTA, { id: unitGid(ids['48']), c: campaignId }, daNangAdmin.token)).unit;
    expect(own.quota).toBeNull();
    expect(own.quotaHistory.totalCount).toBe(0);
    const [{ id: quotaId }] = await t.sql<{ id: number }>(`select id from quota where unit_id = $1 and metric_code = 'eid.activated' and campaign_id = (select min(id) from campaign)`, [ids['517']]);
    const qid = Buffer.from(`Quota:${quotaId}`).toString('base64url');
    expect(codeOf(await gql(t, `query($id: ID!) { node(id: $id) { id } }`, { id: qid }, daNangAdmin.token))).toBe('NOT_FOUND');
    expect(ok(await gql(t, `query($id: ID!) { node(id: $id) { ... on Quota { target } } }`, { id: qid }, quangNamAdmin.token)).node.target).toBe(62_600);
    expect(codeOf(await assign(daNangAdmin.token, 'eid.activated', '48', [['497', 1]]))).toBe('NOT_FOUND');
  });

  it('runs as many SQL statements for 17 children as for 2', async () => {
    const q = `query($id: ID!, $c: ID!) { unit(id: $id) { children(first: 50) { nodes { code
      quota(campaignId: $c, metric: "eid.activated") { target allocatedToChildren unallocated assignedBy { displayName } }
      quotaHistory(campaignId: $c, metric: "eid.activated", first: 5) { totalCount nodes { newTarget } } } } } }`;
    const many = await gql(t, q, { id: unitGid(ids['517']), c: campaignId }, sys.token);
    const few = await gql(t, q, { id: unitGid(ids['518']), c: campaignId }, sys.token);
    expect(ok(many).unit.children.nodes).toHaveLength(17);
    expect(ok(few).unit.children.nodes).toHaveLength(2);
    expect(ok(many).unit.children.nodes.every((n: any) => n.quota.target > 0)).toBe(true);
    expect(many.extensions!.sqlStatements).toBe(few.extensions!.sqlStatements);
  });
});

describe('concurrent STRICT splits', () => {
  it('never jointly exceed the parent target', async () => {
    // 62,500 of 62,600 allocated: each call alone fits, both together would not.
    const results = await Promise.all([
      assign(nuiThanhAdmin.token, 'eid.activated', '517', [['20965', 3_800]]),
      assign(nuiThanhAdmin.token, 'eid.activated', '517', [['20968', 3_800]]),
    ]);
    expect(results.map(codeOf).sort()).toEqual(['CONFLICT', undefined]);
    const [{ sum }] = await t.sql<{ sum: number }>(
      `select sum(q.target)::int as sum from quota q join admin_unit u on u.id = q.unit_id where u.parent_id = $1 and q.metric_code = 'eid.activated' and q.campaign_id = (select min(id) from campaign)`,
      [ids['517']],
    );
    expect(sum).toBe(62_600);
  });
});

describe('a closed campaign', () => {
  it('refuses every change, quotas included, and writes nothing', async () => {
    ok(await gql(t, `mutation($id: ID!) { closeCampaign(input: { id: $id }) { campaign { status } } }`, { id: campaignId }, sys.token));
    const before = await snapshot();
    expect(codeOf(await assign(nuiThanhAdmin.token, 'eid.activated', '517', [['20974', 1]]))).toBe('CONFLICT');
    expect(codeOf(await assign(sys.token, 'eid.activated', null, [['49', 1]]))).toBe('CONFLICT');
    expect(codeOf(await gql(t, `mutation($id: ID!) { updateCampaign(input: { id: $id, name: "x" }) { campaign { name } } }`, { id: campaignId }, sys.token))).toBe('CONFLICT');
    expect(codeOf(await gql(t, `mutation($id: ID!) { closeCampaign(input: { id: $id }) { campaign { status } } }`, { id: campaignId }, sys.token))).toBe('CONFLICT');
    expect(await snapshot()).toEqual(before);
    const u = ok(await gql(t, UNIT_QUOTA, { id: unitGid(ids['517']), c: campaignId }, quangNamAdmin.token)).unit;
    expect(u.quota.target).toBe(62_600);
  });
});
