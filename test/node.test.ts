import { startTestApp, type TestApp } from './support/app';
import { gql, codeOf, ok } from './support/client';
import { principalWith, type TestPrincipal } from './support/principals';
import { toGlobalId } from '../src/common/global-id';
import { metricGlobalId } from '../src/metrics/metric.types';
import { addMember, assignInput, ASSIGN, createTeam, insertCampaign, teamTree } from './teams/support';
import { REPORT } from './progress/support';

/*
 * node(id) resolves every type that implements Node: the test reads the implementers from the schema itself,
 * so a new Node type without a loader fails here. Beside each success, a principal of another province gets NOT_FOUND.
 */
let t: TestApp;
let sys: TestPrincipal;
let outsider: TestPrincipal;
const ids: Record<string, string> = {};

const NODE = `query($id: ID!) { node(id: $id) { __typename id } }`;
const firstId = async (table: string, where = 'true') => (await t.sql<{ id: string }>(`select id::text as id from ${table} where ${where} order by id limit 1`))[0].id;

beforeAll(async () => {
  t = await startTestApp();
  const units = await teamTree(t);
  sys = await principalWith(t, [{ role: 'SYSTEM_ADMIN', unit: 'TP' }]);
  const officer = await principalWith(t, [{ role: 'OFFICER', unit: 'TP' }]);
  outsider = await principalWith(t, [{ role: 'ADMIN', unit: 'OP' }]);
  const campaign = await insertCampaign(t, units.TP);
  const assign = `mutation($input: AssignQuotasInput!) { assignQuotas(input: $input) { changed } }`;
  ok(await gql(t, assign, { input: { campaignId: toGlobalId('Campaign', campaign), metric: 'eid.activated', parentUnitId: toGlobalId('Unit', units.TD), allocations: [{ unitId: toGlobalId('Unit', units.TC), target: 100 }] } }, sys.token));
  ok(await gql(t, REPORT, { input: { unitId: toGlobalId('Unit', units['TC-1']), asOf: '2023-09-10', values: [{ metric: 'eid.collected', value: 12 }] } }, officer.token));
  const team = await createTeam(t, officer.token, units.TC);
  const member = await addMember(t, officer.token, team);
  ok(await gql(t, ASSIGN, { input: assignInput(team, campaign, [units['TC-1']], member) }, officer.token));
  const [{ id: target }] = await t.sql<{ id: number }>(`select id from principal where username like 'officer-tp%' limit 1`);
  ok(await gql(t, `mutation($p: ID!) { createApiKey(input: { principalId: $p, name: "sync" }) { key } }`, { p: toGlobalId('Principal', target) }, sys.token));

  const of = (type: string, id: string) => (ids[type] = toGlobalId(type, id));
  of('Unit', String(units.TC));
  of('Campaign', String(campaign));
  of('Quota', await firstId('quota'));
  of('QuotaChange', await firstId('quota_history'));
  of('ProgressReport', await firstId('progress_report'));
  of('ProgressHistoryEntry', await firstId('progress_history'));
  of('Team', await firstId('team'));
  of('TeamMember', await firstId('team_member'));
  of('TeamAssignment', await firstId('team_assignment'));
  of('Principal', String(target));
  of('Grant', await firstId('"grant"', `principal_id = ${target}`));
  of('ApiKey', await firstId('api_key'));
  of('AuditEntry', await firstId('audit_entry', `unit_path is not null`));
  ids.Metric = metricGlobalId('eid.collected');
});
afterAll(() => t?.close());

it('resolves every type that implements Node, and hides the out-of-jurisdiction ones (NOT_FOUND)', async () => {
  const schema = ok(await gql(t, `{ __type(name: "Node") { possibleTypes { name } } }`, {}, sys.token));
  const implementers: string[] = schema.__type.possibleTypes.map((p: { name: string }) => p.name).sort();
  expect(implementers).toEqual(Object.keys(ids).sort());
  for (const type of implementers) {
    const node = ok(await gql(t, NODE, { id: ids[type] }, sys.token)).node;
    expect({ type, node }).toEqual({ type, node: { __typename: type, id: ids[type] } });
    // The catalogue of metrics is public to every signed-in principal; everything else here lies in TP.
    const outside = await gql(t, NODE, { id: ids[type] }, outsider.token);
    if (type === 'Metric') expect(ok(outside).node.__typename).toBe('Metric');
    else expect({ type, code: codeOf(outside) }).toEqual({ type, code: 'NOT_FOUND' });
  }
});

it('answers NOT_FOUND for ids that name nothing: unknown metric codes and quota changes, malformed keys', async () => {
  for (const id of [metricGlobalId('eid.nothing'), toGlobalId('QuotaChange', 987654), Buffer.from('Metric:a b').toString('base64url'), toGlobalId('Quota', 'x')]) {
    expect(codeOf(await gql(t, NODE, { id }, sys.token))).toBe('NOT_FOUND');
  }
});
