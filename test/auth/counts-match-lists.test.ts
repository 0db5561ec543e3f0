import { startTestApp, type TestApp } from '../support/app';
import { gql, ok } from '../support/client';
import { insertUnits, smallTree } from '../support/factories';
import { principalWith } from '../support/principals';
import { toGlobalId } from '../../src/common/global-id';
import { insertCampaign } from '../teams/support';

/*
 * Leak 4 of issue 15: a count beside a list counted rows the list (rightly) left out. For principals at every
 * kind of jurisdiction (a hamlet VIEWER, a TEAM_LEADER, a commune ADMIN, a district OFFICER, a province ADMIN),
 * every connection read with a page larger than the data must have totalCount equal to the nodes it lists.
 */
let t: TestApp;
const tokens: Record<string, string> = {};
let campaign: string;

beforeAll(async () => {
  t = await startTestApp();
  const ids = { ...(await smallTree(t)), ...(await insertUnits(t, [{ code: 'H3', name: 'Ấp 3', kind: 'ấp', level: 'HAMLET', parent: 'C3' }])) };
  const cid = await insertCampaign(t, ids.P1);
  await insertCampaign(t, ids.P2);
  campaign = toGlobalId('Campaign', cid);
  const teams: Record<string, number> = {};
  for (const unit of ['C1', 'H1', 'H2', 'C3']) {
    const [{ id }] = await t.sql<{ id: number }>(`insert into team (unit_id, name, kind, created_at, updated_at) values ($1, $2, 'OTHER', now(), now()) returning id`, [ids[unit], `Tổ ${unit}`]);
    teams[unit] = id;
    const [m] = await t.sql<{ id: number }>(`insert into team_member (team_id, full_name, is_leader, created_at, updated_at) values ($1, 'A', true, now(), now()) returning id`, [id]);
    for (const hamlet of unit === 'C1' ? ['H1', 'H2'] : unit.startsWith('H') ? [unit] : []) {
      await t.sql(
        `insert into team_assignment (team_id, hamlet_id, campaign_id, task, responsible_member_id, start_date, due_date, status, created_at, updated_at)
         values ($1, $2, $3, 'Rà soát', $4, '2023-09-05', '2023-10-05', 'PLANNED', now(), now())`,
        [id, ids[hamlet], cid, m.id],
      );
    }
  }
  for (const [code, target] of [['D1', 100], ['D2', 80], ['C1', 60], ['C2', 40], ['H1', 30], ['H2', 30]] as const) {
    await t.sql(`insert into quota (campaign_id, unit_id, metric_code, target, assigned_at) values ($1, $2, 'eid.activated', $3, now())`, [cid, ids[code], target]);
  }
  tokens['hamlet VIEWER'] = (await principalWith(t, [{ role: 'VIEWER', unit: 'H1' }])).token;
  tokens.TEAM_LEADER = (await principalWith(t, [{ role: 'TEAM_LEADER', unit: 'C1', teamId: teams.H1 }])).token;
  tokens['commune ADMIN'] = (await principalWith(t, [{ role: 'ADMIN', unit: 'C1' }])).token;
  tokens['district OFFICER'] = (await principalWith(t, [{ role: 'OFFICER', unit: 'D1' }])).token;
  tokens['province ADMIN'] = (await principalWith(t, [{ role: 'ADMIN', unit: 'P1' }])).token;
  await principalWith(t, [{ role: 'VIEWER', unit: 'C1' }]);
  await principalWith(t, [{ role: 'VIEWER', unit: 'P2' }]);
});
afterAll(() => t?.close());

const Q = `query($c: ID!) {
  units(first: 100) { totalCount nodes { id children(first: 100) { totalCount nodes { id } }
    rankedChildren(campaignId: $c, metric: "eid.activated", first: 100) { totalCount nodes { rank } } } }
  teams(first: 100) { totalCount nodes { id } }
  campaignTeams: teams(first: 100, campaignId: $c) { totalCount nodes { id } }
  campaigns(first: 100) { totalCount nodes { id ranking(level: HAMLET, metric: "eid.activated", first: 100) { totalCount nodes { rank } } } }
}`;
const ADMIN_Q = `{ principals(first: 100) { totalCount nodes { id } } auditLog(first: 100) { totalCount nodes { id } } }`;

/** Every connection in a response, by its path, as [totalCount, nodes listed]. */
function connections(value: unknown, at = ''): Record<string, [number, number]> {
  if (!value || typeof value !== 'object') return {};
  if (Array.isArray(value)) return Object.assign({}, ...value.map((v, i) => connections(v, `${at}[${i}]`)));
  const o = value as Record<string, unknown>;
  const own: Record<string, [number, number]> = 'totalCount' in o ? { [at]: [o.totalCount as number, (o.nodes as unknown[]).length] } : {};
  return Object.assign(own, ...Object.entries(o).map(([k, v]) => connections(v, at ? `${at}.${k}` : k)));
}

it.each(['hamlet VIEWER', 'TEAM_LEADER', 'commune ADMIN', 'district OFFICER', 'province ADMIN'])('%s: every totalCount equals the nodes listed', async (who) => {
  const data = ok(await gql(t, Q, { c: campaign }, tokens[who]));
  const found = connections(data);
  expect(Object.keys(found).length).toBeGreaterThanOrEqual(4);
  for (const [path, [total, listed]] of Object.entries(found)) expect([path, total]).toEqual([path, listed]);
  if (who.endsWith('ADMIN')) {
    for (const [path, [total, listed]] of Object.entries(connections(ok(await gql(t, ADMIN_Q, {}, tokens[who]))))) expect([path, total]).toEqual([path, listed]);
  }
});
