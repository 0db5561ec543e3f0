import { startTestApp, type TestApp } from '../support/app';
import { gql, codeOf, ok } from '../support/client';
import { insertUnits, smallTree } from '../support/factories';
import { principalWith } from '../support/principals';
import { userWith } from '../support/accounts';
import { toGlobalId } from '../../src/common/global-id';
import { insertCampaign } from '../teams/support';

/*
 * Operations on an object named by id (declared with canOnObject): what a caller cannot see answers NOT_FOUND
 * whatever its role, and only a visible object can be FORBIDDEN. Every operation is tried by every role on an
 * object in a sibling subtree (NOT_FOUND for all) and on an object inside the roles' shared subtree
 * (FORBIDDEN for those who see it without the power, NOT_FOUND for those who do not see it, and for those
 * allowed an input error after the check). Nothing is written by any of these calls.
 */

type Role = 'ADMIN' | 'OFFICER' | 'VIEWER' | 'TEAM_LEADER' | 'SERVICE' | 'REVOKED';
const ROLES: Role[] = ['ADMIN', 'OFFICER', 'VIEWER', 'TEAM_LEADER', 'SERVICE', 'REVOKED'];

let t: TestApp;
const tokens = {} as Record<Role, string>;
/** Global ids of the objects inside (`in`) and outside (`out`) the roles' subtree. */
const inside: Record<string, string> = {};
const outside: Record<string, string> = {};

const g = (type: string, id: number) => toGlobalId(type, id);

beforeAll(async () => {
  t = await startTestApp();
  const ids = { ...(await smallTree(t)), ...(await insertUnits(t, [{ code: 'H3', name: 'Ấp 3', kind: 'ấp', level: 'HAMLET', parent: 'C3' }])) };
  const sys = await principalWith(t, [{ role: 'SYSTEM_ADMIN', unit: 'P1' }]);
  await t.sql(`update "grant" set unit_id = null where principal_id = $1`, [sys.id]);
  const as = (q: string, v: Record<string, unknown>) => gql(t, q, v, sys.token).then(ok);

  for (const [side, unit, commune, hamlet] of [[inside, 'P1', 'C1', 'H1'], [outside, 'P2', 'C3', 'H3']] as const) {
    side.unit = g('Unit', ids[hamlet]);
    side.code = hamlet;
    side.campaign = g('Campaign', await insertCampaign(t, ids[unit]));
    const team = await as(`mutation($u: ID!) { createTeam(input: { unitId: $u, name: "Tổ 1", kind: OTHER }) { team { id } } }`, { u: g('Unit', ids[commune]) });
    side.team = team.createTeam.team.id;
    const m = await as(`mutation($t: ID!) { addTeamMember(input: { teamId: $t, fullName: "Lê Văn Bình" }) { member { id } } }`, { t: side.team });
    side.member = m.addTeamMember.member.id;
    const a = await as(
      `mutation($t: ID!, $c: ID!, $h: ID!, $m: ID!) { assignTeam(input: { teamId: $t, campaignId: $c, hamletIds: [$h], responsibleMemberId: $m,
         task: "Rà soát", startDate: "2023-09-05", dueDate: "2023-10-05", expectedResults: [] }) { assignments { id } } }`,
      { t: side.team, c: side.campaign, h: side.unit, m: side.member },
    );
    side.assignment = a.assignTeam.assignments[0].id;
    const p = await userWith(t, { home: commune, grants: [{ role: 'VIEWER', unit: commune }] });
    side.principal = p.gid;
    const [grant] = await t.sql<{ id: number }>(`select id from "grant" where principal_id = $1`, [p.id]);
    side.grant = g('Grant', grant.id);
    const [key] = await t.sql<{ id: number }>(
      `insert into api_key (principal_id, key_id, secret_hash, name, revoked_at, created_at) values ($1, $2, 'x', 'old', now(), now()) returning id`,
      [p.id, `k${p.id}`],
    );
    side.apiKey = g('ApiKey', key.id);
  }

  tokens.ADMIN = (await principalWith(t, [{ role: 'ADMIN', unit: 'P1' }])).token;
  tokens.OFFICER = (await principalWith(t, [{ role: 'OFFICER', unit: 'D1' }])).token;
  tokens.VIEWER = (await principalWith(t, [{ role: 'VIEWER', unit: 'C1' }])).token;
  const [team] = await t.sql<{ id: number }>(`select t.id from team t join admin_unit u on u.id = t.unit_id where u.code = 'C1'`);
  tokens.TEAM_LEADER = (await principalWith(t, [{ role: 'TEAM_LEADER', unit: 'C1', teamId: team.id }])).token;
  const revoked = await principalWith(t, [{ role: 'ADMIN', unit: 'P1' }]);
  await t.sql(`delete from "grant" where principal_id = $1`, [revoked.id]);
  tokens.REVOKED = revoked.token;
  const svc = await as(`mutation($u: ID!) { createServiceAccount(input: { homeUnitId: $u, name: "Cổng dữ liệu" }) { principal { id } } }`, { u: g('Unit', ids.D1) });
  const svcId = svc.createServiceAccount.principal.id;
  await as(`mutation($p: ID!, $u: ID!) { grantRole(input: { principalId: $p, role: OFFICER, unitId: $u }) { grant { id } } }`, { p: svcId, u: g('Unit', ids.D1) });
  tokens.SERVICE = (await as(`mutation($p: ID!) { createApiKey(input: { principalId: $p, name: "k" }) { key } }`, { p: svcId })).createApiKey.key;
});
afterAll(() => t?.close());

interface Op {
  /** The operation, with `$id`-style variables naming objects of one side. */
  query: string;
  vars: (side: Record<string, string>) => Record<string, unknown>;
  /** Roles that can see the object inside (the rest get NOT_FOUND for it). */
  see: Role[];
  /** Roles allowed the action on it: they get past the check to an input error (the input is always bad). */
  may: Role[];
  /** Succeeds (and writes) for those allowed: they are not called here; the feature's tests cover that. */
  writes?: true;
}

const ALL_BUT_REVOKED: Role[] = ['ADMIN', 'OFFICER', 'VIEWER', 'TEAM_LEADER', 'SERVICE'];
const OPS: Record<string, Op> = {
  unit: { query: 'query($id: ID!) { unit(id: $id) { code } }', vars: (s) => ({ id: s.unit }), see: ALL_BUT_REVOKED, may: ALL_BUT_REVOKED },
  unitByCode: { query: 'query($c: String!) { unitByCode(code: $c) { code } }', vars: (s) => ({ c: s.code }), see: ALL_BUT_REVOKED, may: ALL_BUT_REVOKED },
  createUnit: {
    query: 'mutation($id: ID!) { createUnit(input: { parentId: $id, name: "", kind: "", level: HAMLET }) { unit { id } } }',
    vars: (s) => ({ id: s.unit }), see: ALL_BUT_REVOKED, may: ['ADMIN'],
  },
  updateUnit: { query: 'mutation($id: ID!) { updateUnit(input: { id: $id, name: "" }) { unit { id } } }', vars: (s) => ({ id: s.unit }), see: ALL_BUT_REVOKED, may: ['ADMIN'] },
  moveUnit: { query: 'mutation($id: ID!) { moveUnit(input: { id: $id, newParentId: $id }) { movedUnits } }', vars: (s) => ({ id: s.unit }), see: ALL_BUT_REVOKED, may: ['ADMIN'] },
  retireUnit: {
    query: 'mutation($id: ID!) { retireUnit(input: { id: $id, validTo: "1900-01-01" }) { retiredUnits } }',
    vars: (s) => ({ id: s.unit }), see: ALL_BUT_REVOKED, may: ['ADMIN'],
  },
  reportProgress: {
    query: 'mutation($id: ID!) { reportProgress(input: { unitId: $id, asOf: "2023-09-10", values: [{ metric: "eid.collected", value: -1 }] }) { changed } }',
    vars: (s) => ({ id: s.unit }), see: ALL_BUT_REVOKED, may: ['ADMIN', 'OFFICER', 'TEAM_LEADER', 'SERVICE'],
  },
  createUser: {
    query: 'mutation($id: ID!) { createUser(input: { homeUnitId: $id, username: "x", displayName: "", password: "short" }) { principal { id } } }',
    vars: (s) => ({ id: s.unit }), see: ALL_BUT_REVOKED, may: ['ADMIN'],
  },
  createServiceAccount: {
    query: 'mutation($id: ID!) { createServiceAccount(input: { homeUnitId: $id, name: "" }) { principal { id } } }',
    vars: (s) => ({ id: s.unit }), see: ALL_BUT_REVOKED, may: ['ADMIN'],
  },
  principal: { query: 'query($id: ID!) { principal(id: $id) { id } }', vars: (s) => ({ id: s.principal }), see: ['ADMIN'], may: ['ADMIN'] },
  createApiKey: { query: 'mutation($id: ID!) { createApiKey(input: { principalId: $id, name: "" }) { key } }', vars: (s) => ({ id: s.principal }), see: ['ADMIN'], may: ['ADMIN'] },
  revokeApiKey: { query: 'mutation($id: ID!) { revokeApiKey(input: { apiKeyId: $id }) { apiKey { id } } }', vars: (s) => ({ id: s.apiKey }), see: ['ADMIN'], may: ['ADMIN'] },
  grantRole: {
    query: 'mutation($id: ID!, $u: ID!) { grantRole(input: { principalId: $id, role: SYSTEM_ADMIN, unitId: $u }) { grant { id } } }',
    vars: (s) => ({ id: s.principal, u: s.unit }), see: ['ADMIN'], may: ['ADMIN'],
  },
  resetPassword: {
    query: 'mutation($id: ID!) { resetPassword(input: { principalId: $id, newPassword: "short" }) { principal { id } } }',
    vars: (s) => ({ id: s.principal }), see: ['ADMIN'], may: ['ADMIN'],
  },
  unlockPrincipal: {
    query: 'mutation($id: ID!) { unlockPrincipal(input: { principalId: $id }) { clearedLocks } }',
    vars: (s) => ({ id: s.principal }), see: ['ADMIN'], may: ['ADMIN'], writes: true,
  },
  campaign: { query: 'query($id: ID!) { campaign(id: $id) { id } }', vars: (s) => ({ id: s.campaign }), see: ALL_BUT_REVOKED, may: ALL_BUT_REVOKED },
  createCampaign: {
    query: 'mutation($id: ID!) { createCampaign(input: { scopeUnitId: $id, name: "", startDate: "2023-01-01", deadline: "2023-02-01", metrics: [] }) { campaign { id } } }',
    vars: (s) => ({ id: s.unit }), see: ALL_BUT_REVOKED, may: ['ADMIN'],
  },
  updateCampaign: { query: 'mutation($id: ID!) { updateCampaign(input: { id: $id, name: "" }) { campaign { id } } }', vars: (s) => ({ id: s.campaign }), see: ALL_BUT_REVOKED, may: ['ADMIN'] },
  activateCampaign: { query: 'mutation($id: ID!) { activateCampaign(input: { id: $id }) { campaign { id } } }', vars: (s) => ({ id: s.campaign }), see: ALL_BUT_REVOKED, may: ['ADMIN'] },
  assignQuotas: {
    query: 'mutation($id: ID!, $u: ID!) { assignQuotas(input: { campaignId: $id, metric: "eid.activated", parentUnitId: $u, allocations: [] }) { changed } }',
    vars: (s) => ({ id: s.campaign, u: s.unit }), see: ALL_BUT_REVOKED, may: ['ADMIN'],
  },
  team: { query: 'query($id: ID!) { team(id: $id) { id } }', vars: (s) => ({ id: s.team }), see: ALL_BUT_REVOKED, may: ALL_BUT_REVOKED },
  createTeam: {
    query: 'mutation($id: ID!) { createTeam(input: { unitId: $id, name: "", kind: OTHER }) { team { id } } }',
    vars: (s) => ({ id: s.unit }), see: ALL_BUT_REVOKED, may: ['ADMIN', 'OFFICER', 'SERVICE'],
  },
  updateTeam: { query: 'mutation($id: ID!) { updateTeam(input: { id: $id, name: "" }) { team { id } } }', vars: (s) => ({ id: s.team }), see: ALL_BUT_REVOKED, may: ['ADMIN', 'OFFICER', 'SERVICE'] },
  addTeamMember: {
    query: 'mutation($id: ID!) { addTeamMember(input: { teamId: $id, fullName: "" }) { member { id } } }',
    vars: (s) => ({ id: s.team }), see: ALL_BUT_REVOKED, may: ['ADMIN', 'OFFICER', 'TEAM_LEADER', 'SERVICE'],
  },
  updateTeamMember: {
    query: 'mutation($id: ID!) { updateTeamMember(input: { id: $id, fullName: "" }) { member { id } } }',
    vars: (s) => ({ id: s.member }), see: ALL_BUT_REVOKED, may: ['ADMIN', 'OFFICER', 'TEAM_LEADER', 'SERVICE'],
  },
  removeTeamMember: {
    // The member is responsible for an open assignment: those allowed get CONFLICT and nothing changes.
    query: 'mutation($id: ID!) { removeTeamMember(input: { id: $id }) { member { id } } }',
    vars: (s) => ({ id: s.member }), see: ALL_BUT_REVOKED, may: ['ADMIN', 'OFFICER', 'TEAM_LEADER', 'SERVICE'],
  },
  assignTeam: {
    query: `mutation($id: ID!, $c: ID!, $m: ID!) { assignTeam(input: { teamId: $id, campaignId: $c, hamletIds: [], responsibleMemberId: $m, task: "",
      startDate: "2023-09-05", dueDate: "2023-10-05", expectedResults: [] }) { assignments { id } } }`,
    vars: (s) => ({ id: s.team, c: s.campaign, m: s.member }), see: ALL_BUT_REVOKED, may: ['ADMIN', 'OFFICER', 'SERVICE'],
  },
  updateAssignment: {
    query: 'mutation($id: ID!) { updateAssignment(input: { id: $id, task: "" }) { assignment { id } } }',
    vars: (s) => ({ id: s.assignment }), see: ALL_BUT_REVOKED, may: ['ADMIN', 'OFFICER', 'SERVICE'],
  },
  completeAssignment: {
    query: 'mutation($id: ID!) { completeAssignment(input: { id: $id, outcomeNote: "" }) { assignment { id } } }',
    vars: (s) => ({ id: s.assignment }), see: ALL_BUT_REVOKED, may: ['ADMIN', 'OFFICER', 'SERVICE'],
  },
};
// Whose success would write (disband, close, enable/disable, revoke a grant) are covered by their feature tests.

async function snapshot(): Promise<string> {
  const parts = [];
  // api_key without last_used_at, which the service account's own requests refresh.
  parts.push(await t.sql(`select count(*)::int as n, md5(string_agg(concat_ws(',', id, name, revoked_at), '|' order by id)) as h from api_key`));
  for (const tbl of ['admin_unit', 'principal', '"grant"', 'campaign', 'quota', 'progress_report', 'team', 'team_member', 'team_assignment', 'audit_entry']) {
    parts.push(await t.sql(`select count(*)::int as n, coalesce(md5(string_agg(x::text, '|' order by x::text)), '') as h from ${tbl} x`));
  }
  return JSON.stringify(parts);
}

const outcome = (code: string | undefined): string => (code === 'NOT_FOUND' || code === 'FORBIDDEN' ? code : code === 'UNAUTHENTICATED' ? code : 'PASSED THE CHECK');

it('a sibling subtree answers NOT_FOUND to every role, for every operation naming an object', async () => {
  const before = await snapshot();
  const got: string[] = [];
  const want: string[] = [];
  for (const [name, op] of Object.entries(OPS)) {
    for (const role of ROLES) {
      got.push(`${name} as ${role}: ${outcome(codeOf(await gql(t, op.query, op.vars(outside), tokens[role])))}`);
      want.push(`${name} as ${role}: NOT_FOUND`);
    }
  }
  expect(got).toEqual(want);
  expect(await snapshot()).toBe(before);
});

it('inside: FORBIDDEN only for roles that see the object without the power; the rest NOT_FOUND or past the check', async () => {
  const before = await snapshot();
  const got: string[] = [];
  const want: string[] = [];
  for (const [name, op] of Object.entries(OPS)) {
    for (const role of ROLES) {
      if (op.writes && op.may.includes(role)) continue;
      const r = await gql(t, op.query, op.vars(inside), tokens[role]);
      got.push(`${name} as ${role}: ${outcome(codeOf(r))}`);
      want.push(`${name} as ${role}: ${op.may.includes(role) ? 'PASSED THE CHECK' : op.see.includes(role) ? 'FORBIDDEN' : 'NOT_FOUND'}`);
    }
  }
  expect(got).toEqual(want);
  expect(await snapshot()).toBe(before);
});

it('without credentials every one of them is UNAUTHENTICATED', async () => {
  for (const [name, op] of Object.entries(OPS)) expect([name, codeOf(await gql(t, op.query, op.vars(inside)))]).toEqual([name, 'UNAUTHENTICATED']);
});
