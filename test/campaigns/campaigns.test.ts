import { startTestApp, type TestApp } from '../support/app';
import { gql, codeOf, ok } from '../support/client';
import { principalWith, type TestPrincipal } from '../support/principals';
import { CREATE, createCampaign, nuiThanhTree, unitGid } from './fixtures';

let t: TestApp;
let ids: Record<string, number>;
let sys: TestPrincipal;
let quangNamAdmin: TestPrincipal;
let nuiThanhAdmin: TestPrincipal;
let communeViewer: TestPrincipal;
let daNangAdmin: TestPrincipal;
let quangNamViewer: TestPrincipal;

const campaignCount = async () => (await t.sql<{ n: number }>('select count(*)::int as n from campaign'))[0].n;
const LIST = `query($unitId: ID, $status: CampaignStatus, $activeOn: Date) { campaigns(unitId: $unitId, status: $status, activeOn: $activeOn, first: 50) { totalCount nodes { name scopeUnit { code } } } }`;
const names = (r: any) => r.campaigns.nodes.map((n: any) => n.name).sort();

beforeAll(async () => {
  t = await startTestApp();
  ids = await nuiThanhTree(t);
  sys = await principalWith(t, [{ role: 'SYSTEM_ADMIN', unit: '49' }]);
  quangNamAdmin = await principalWith(t, [{ role: 'ADMIN', unit: '49' }]);
  nuiThanhAdmin = await principalWith(t, [{ role: 'ADMIN', unit: '517' }]);
  communeViewer = await principalWith(t, [{ role: 'VIEWER', unit: '20974' }]);
  daNangAdmin = await principalWith(t, [{ role: 'ADMIN', unit: '48' }]);
  quangNamViewer = await principalWith(t, [{ role: 'VIEWER', unit: '49' }]);
});
afterAll(() => t?.close());

describe('creating campaigns', () => {
  it('an ADMIN creates a DRAFT campaign scoped at its own unit, with defaults', async () => {
    const input = { name: '  Tháng thanh niên ', scopeUnitId: unitGid(ids['49']), startDate: '2023-03-01', deadline: '2023-03-31', metrics: [{ metric: 'eid.activated' }] };
    const c = ok(await gql(t, CREATE, { input }, quangNamAdmin.token)).createCampaign.campaign;
    expect(c).toMatchObject({
      name: 'Tháng thanh niên', status: 'DRAFT', minTeamsPerHamlet: 5, scopeUnit: { code: '49' },
      metrics: [{ metric: { code: 'eid.activated' }, countingMode: 'CUMULATIVE', allocationMode: 'STRICT' }],
    });
    const [a] = await t.sql<{ n: number }>(`select count(*)::int as n from audit_entry where action = 'campaign.create'`);
    expect(a.n).toBe(1);
  });

  it('reports every invalid field with its path and writes nothing', async () => {
    const before = await campaignCount();
    const input = {
      name: ' ', scopeUnitId: unitGid(ids['49']), startDate: '2023-03-31', deadline: '2023-03-01', minTeamsPerHamlet: -1,
      metrics: [{ metric: 'eid.activated' }, { metric: 'nope.nothing' }, { metric: 'eid.activated' }],
    };
    const res = await gql(t, CREATE, { input }, sys.token);
    expect(codeOf(res)).toBe('BAD_USER_INPUT');
    expect(res.errors![0].extensions.fieldPaths).toEqual([
      'input.name', 'input.deadline', 'input.minTeamsPerHamlet', 'input.metrics.1.metric', 'input.metrics.2.metric',
    ]);
    const none = await gql(t, CREATE, { input: { ...input, name: 'x', startDate: '2023-01-01', minTeamsPerHamlet: 5, metrics: [] } }, sys.token);
    expect(none.errors![0].extensions.fieldPaths).toEqual(['input.metrics']);
    expect(await campaignCount()).toBe(before);
  });

  it('refuses campaigns outside the jurisdiction: invisible scope → NOT_FOUND, above it → FORBIDDEN, viewers → FORBIDDEN', async () => {
    const before = await campaignCount();
    const input = (code: string) => ({ name: 'x', scopeUnitId: unitGid(ids[code]), startDate: '2023-01-01', deadline: '2023-02-01', metrics: [{ metric: 'eid.activated' }] });
    expect(codeOf(await gql(t, CREATE, { input: input('49') }, daNangAdmin.token))).toBe('NOT_FOUND');
    expect(codeOf(await gql(t, CREATE, { input: input('49') }, nuiThanhAdmin.token))).toBe('NOT_FOUND');
    expect(codeOf(await gql(t, CREATE, { input: input('49') }, quangNamViewer.token))).toBe('FORBIDDEN');
    expect(await campaignCount()).toBe(before);
  });
});

describe('visibility, listing and changes', () => {
  let province: string;
  let district: string;
  let daNang: string;
  beforeAll(async () => {
    province = await createCampaign(t, sys.token, ids['49'], { name: 'A Quảng Nam 90 ngày', startDate: '2023-09-01', deadline: '2023-11-30' });
    district = await createCampaign(t, nuiThanhAdmin.token, ids['517'], { name: 'B Núi Thành hè', startDate: '2023-06-01', deadline: '2023-08-31' });
    daNang = await createCampaign(t, daNangAdmin.token, ids['48'], { name: 'C Đà Nẵng' });
    for (const id of [province, district, daNang]) ok(await gql(t, `mutation($id: ID!) { activateCampaign(input: { id: $id }) { campaign { status } } }`, { id }, sys.token));
  });

  it('shows a campaign to units inside its scope and to leaders above it, never to others', async () => {
    const one = `query($id: ID!) { campaign(id: $id) { name } }`;
    expect(ok(await gql(t, one, { id: province }, communeViewer.token)).campaign.name).toBe('A Quảng Nam 90 ngày');
    expect(ok(await gql(t, one, { id: district }, quangNamViewer.token)).campaign.name).toBe('B Núi Thành hè');
    expect(codeOf(await gql(t, one, { id: province }, daNangAdmin.token))).toBe('NOT_FOUND');
    expect(codeOf(await gql(t, `query($id: ID!) { node(id: $id) { id } }`, { id: province }, daNangAdmin.token))).toBe('NOT_FOUND');
    expect(codeOf(await gql(t, one, { id: daNang }, quangNamAdmin.token))).toBe('NOT_FOUND');
    expect(names(ok(await gql(t, LIST, {}, daNangAdmin.token)))).toEqual(['C Đà Nẵng']);
    expect(names(ok(await gql(t, LIST, {}, communeViewer.token)))).toEqual(['A Quảng Nam 90 ngày', 'B Núi Thành hè', 'Tháng thanh niên']);
  });

  it('filters by unit, status and day', async () => {
    expect(names(ok(await gql(t, LIST, { unitId: unitGid(ids['518']) }, sys.token)))).toEqual(['A Quảng Nam 90 ngày', 'Tháng thanh niên']);
    expect(names(ok(await gql(t, LIST, { activeOn: '2023-07-15' }, sys.token)))).toEqual(['B Núi Thành hè']);
    expect(names(ok(await gql(t, LIST, { status: 'DRAFT' }, sys.token)))).toEqual(['Tháng thanh niên']);
    const all = ok(await gql(t, LIST, { unitId: unitGid(ids['49']) }, quangNamViewer.token)).campaigns;
    expect(all.totalCount).toBe(3);
    expect(codeOf(await gql(t, LIST, { unitId: unitGid(ids['49']) }, daNangAdmin.token))).toBe('NOT_FOUND');
  });

  it('a district ADMIN sees the province campaign but may not change it (FORBIDDEN), nothing changed', async () => {
    const upd = `mutation($input: UpdateCampaignInput!) { updateCampaign(input: $input) { campaign { name deadline metrics { metric { code } } } } }`;
    expect(codeOf(await gql(t, upd, { input: { id: province, name: 'hacked' } }, nuiThanhAdmin.token))).toBe('FORBIDDEN');
    expect(codeOf(await gql(t, `mutation($id: ID!) { closeCampaign(input: { id: $id }) { campaign { status } } }`, { id: province }, nuiThanhAdmin.token))).toBe('FORBIDDEN');
    expect(codeOf(await gql(t, upd, { input: { id: province, name: 'hacked' } }, daNangAdmin.token))).toBe('NOT_FOUND');
    const [row] = await t.sql<{ name: string; status: string }>(`select name, status from campaign where name like 'A %'`);
    expect(row).toEqual({ name: 'A Quảng Nam 90 ngày', status: 'ACTIVE' });
    const bad = await gql(t, upd, { input: { id: province, deadline: '2023-01-01' } }, quangNamAdmin.token);
    expect(bad.errors![0].extensions.fieldPaths).toEqual(['input.deadline']);
    const changed = ok(await gql(t, upd, { input: { id: province, deadline: '2023-12-31', metrics: [{ metric: 'eid.collected' }] } }, quangNamAdmin.token));
    expect(changed.updateCampaign.campaign).toMatchObject({ deadline: '2023-12-31', metrics: [{ metric: { code: 'eid.collected' } }] });
  });

  it('moves through DRAFT → ACTIVE → CLOSED only', async () => {
    const act = `mutation($id: ID!) { activateCampaign(input: { id: $id }) { campaign { status } } }`;
    expect(codeOf(await gql(t, act, { id: district }, nuiThanhAdmin.token))).toBe('CONFLICT');
    const closed = ok(await gql(t, `mutation($id: ID!) { closeCampaign(input: { id: $id }) { campaign { status } } }`, { id: district }, nuiThanhAdmin.token));
    expect(closed.closeCampaign.campaign.status).toBe('CLOSED');
    expect(codeOf(await gql(t, act, { id: district }, sys.token))).toBe('CONFLICT');
    expect(names(ok(await gql(t, LIST, { status: 'CLOSED' }, communeViewer.token)))).toEqual(['B Núi Thành hè']);
  });
});
