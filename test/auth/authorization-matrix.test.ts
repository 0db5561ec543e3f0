import { getMetadataStorage } from 'type-graphql';
import type { GraphQLSchema } from 'graphql';
import { createSchema } from '../../src/schema';
import { PUBLIC_OPERATIONS } from '../../src/auth/auth-checker';
import { startTestApp, type TestApp } from '../support/app';
import { gql, codeOf, ok } from '../support/client';
import { smallTree } from '../support/factories';
import { principalWith } from '../support/principals';
import { unitGid } from '../support/accounts';

/**
 * Every root field and what it requires. A new operation fails this test until it is listed here,
 * and the snapshot below shows any change of requirement in review (STYLE.md #4).
 * 'public': no credentials; 'authenticated': any principal; otherwise the coarse permission.
 */
const MATRIX: Record<string, string> = {
  'Query.node': 'authenticated',
  'Query.unit': 'read:Unit',
  'Query.unitByCode': 'read:Unit',
  'Query.metric': 'read:Metric',
  'Query.metrics': 'read:Metric',
  'Query.units': 'read:Unit',
  'Query.me': 'authenticated',
  'Query.principals': 'read:Principal',
  'Query.principal': 'read:Principal',
  'Query.auditLog': 'read:AuditEntry',
  'Mutation.createUnit': 'create:Unit',
  'Mutation.updateUnit': 'update:Unit',
  'Mutation.moveUnit': 'move:Unit',
  'Mutation.retireUnit': 'retire:Unit',
  'Mutation.importUnits': 'import:Unit',
  'Mutation.login': 'public',
  'Mutation.refreshSession': 'public',
  'Mutation.logout': 'authenticated',
  'Mutation.logoutEverywhere': 'authenticated',
  'Mutation.changeMyPassword': 'authenticated',
  'Mutation.createUser': 'create:Principal',
  'Mutation.createServiceAccount': 'create:Principal',
  'Mutation.createApiKey': 'update:Principal',
  'Mutation.revokeApiKey': 'update:Principal',
  'Mutation.grantRole': 'grant:Principal',
  'Mutation.revokeRole': 'grant:Principal',
  'Mutation.disablePrincipal': 'update:Principal',
  'Mutation.enablePrincipal': 'update:Principal',
  'Mutation.resetPassword': 'update:Principal',
  'Mutation.updatePrincipal': 'update:Principal',
  'Mutation.importPrincipals': 'create:Principal & grant:Principal',
  'Query.campaign': 'read:Campaign',
  'Query.campaigns': 'read:Campaign',
  'Mutation.createCampaign': 'create:Campaign',
  'Mutation.updateCampaign': 'update:Campaign',
  'Mutation.activateCampaign': 'update:Campaign',
  'Mutation.closeCampaign': 'update:Campaign',
  'Mutation.assignQuotas': 'assign:Quota',
  'Mutation.createMetric': 'create:Metric',
  'Mutation.updateMetric': 'update:Metric',
  'Mutation.reportProgress': 'report:Progress',
  'Mutation.importProgress': 'report:Progress',
  'Query.team': 'read:Team',
  'Query.teams': 'read:Team',
  'Mutation.createTeam': 'manage:Team',
  'Mutation.updateTeam': 'manage:Team',
  'Mutation.disbandTeam': 'manage:Team',
  'Mutation.addTeamMember': 'edit:TeamMember',
  'Mutation.updateTeamMember': 'edit:TeamMember',
  'Mutation.removeTeamMember': 'edit:TeamMember',
  'Mutation.assignTeam': 'manage:Team',
  'Mutation.updateAssignment': 'manage:Team',
  'Mutation.completeAssignment': 'manage:Team',
  'Subscription.unitFiguresChanged': 'read:Unit',
  'Subscription.campaignStandingsChanged': 'read:Campaign',
};

/** What the code declares for each root field: PUBLIC_OPERATIONS, else @Authorized(...), else the default-deny middleware. */
function declared(schema: GraphQLSchema): Record<string, string> {
  const storage = getMetadataStorage();
  const out: Record<string, string> = {};
  for (const [root, type, defs] of [
    ['Query', schema.getQueryType(), storage.queries],
    ['Mutation', schema.getMutationType(), storage.mutations],
    ['Subscription', schema.getSubscriptionType(), storage.subscriptions],
  ] as const) {
    for (const name of Object.keys(type!.getFields()).sort()) {
      const def = defs.find((d) => d.schemaName === name);
      const auth = def && storage.authorizedFields.find((a) => a.target === def.target && a.fieldName === def.methodName);
      out[`${root}.${name}`] = PUBLIC_OPERATIONS.has(name) ? 'public' : auth?.roles.length ? auth.roles.join(' & ') : 'authenticated';
    }
  }
  return out;
}

describe('authorization declarations', () => {
  it('every root field has an entry in the matrix, and the code declares exactly that', async () => {
    const actual = declared(await createSchema());
    expect(Object.keys(actual).filter((f) => !(f in MATRIX))).toEqual([]);
    expect(Object.keys(MATRIX).filter((f) => !(f in actual))).toEqual([]);
    expect(actual).toEqual(MATRIX);
    expect(actual).toMatchSnapshot();
  });
});

describe('coarse gate and jurisdiction per role', () => {
  let t: TestApp;
  const tokens: Record<string, string> = {};
  const gid: Record<string, string> = {};

  beforeAll(async () => {
    t = await startTestApp();
    await smallTree(t);
    for (const code of ['P1', 'P2', 'D1', 'D2', 'C1', 'C2', 'C3']) gid[code] = await unitGid(t, code);
    tokens.ADMIN = (await principalWith(t, [{ role: 'ADMIN', unit: 'P1' }])).token;
    tokens.OFFICER = (await principalWith(t, [{ role: 'OFFICER', unit: 'D1' }])).token;
    tokens.VIEWER = (await principalWith(t, [{ role: 'VIEWER', unit: 'C1' }])).token;
    const [team] = await t.sql<{ id: number }>(`insert into team (unit_id, name, kind, created_at, updated_at) select id, 'Tổ 1', 'YOUTH_UNION', now(), now() from admin_unit where code = 'C1' returning id`);
    tokens.TEAM_LEADER = (await principalWith(t, [{ role: 'TEAM_LEADER', unit: 'C1', teamId: team.id }])).token;
  });
  afterAll(() => t?.close());

  const BOGUS = 'VW5pdDo5OTk5OTk'; // Unit:999999 — passes the gate, then NOT_FOUND: nothing is written
  const BOGUS_TEAM = Buffer.from('Team:999999').toString('base64url');
  const OPS: Record<string, [string, Record<string, unknown>?]> = {
    units: ['{ units { totalCount } }'],
    me: ['{ me { permissions } }'],
    principals: ['{ principals { totalCount } }'],
    auditLog: ['{ auditLog { totalCount } }'],
    createUnit: [`mutation { createUnit(input: { parentId: "${BOGUS}", code: "X1", name: "X", kind: "xã", level: COMMUNE }) { unit { id } } }`],
    updateUnit: [`mutation { updateUnit(input: { id: "${BOGUS}", name: "X" }) { unit { id } } }`],
    importUnits: [`mutation { importUnits(input: { csv: "", dryRun: true }) { created } }`],
    createUser: [`mutation { createUser(input: { username: "zz", displayName: "Z", password: "long enough pw", homeUnitId: "${BOGUS}" }) { principal { id } } }`],
    grantRole: [`mutation { grantRole(input: { principalId: "${BOGUS}", role: VIEWER, unitId: "${BOGUS}" }) { grant { id } } }`],
    campaigns: ['{ campaigns { totalCount } }'],
    createCampaign: [`mutation { createCampaign(input: { name: "X", scopeUnitId: "${BOGUS}", startDate: "2023-01-01", deadline: "2023-02-01", metrics: [{ metric: "eid.activated" }] }) { campaign { id } } }`],
    assignQuotas: [`mutation { assignQuotas(input: { campaignId: "Q2FtcGFpZ246OTk5OTk", metric: "eid.activated", parentUnitId: "${BOGUS}", allocations: [] }) { changed } }`],
    reportProgress: [`mutation { reportProgress(input: { unitId: "${BOGUS}", asOf: "2023-01-01", values: [{ metric: "eid.collected", value: 1 }] }) { changed } }`],
    teams: ['{ teams { totalCount } }'],
    createTeam: [`mutation { createTeam(input: { unitId: "${BOGUS}", name: "X", kind: OTHER }) { team { id } } }`],
    addTeamMember: [`mutation { addTeamMember(input: { teamId: "${BOGUS_TEAM}", fullName: "X" }) { member { id } } }`],
    assignTeam: [`mutation { assignTeam(input: { teamId: "${BOGUS_TEAM}", campaignId: "Q2FtcGFpZ246OTk5OTk", hamletIds: ["${BOGUS}"], task: "x", responsibleMemberId: "${BOGUS}", startDate: "2023-01-01", dueDate: "2023-01-02", expectedResults: [] }) { assignments { id } } }`],
    createMetric: [`mutation { createMetric(input: { code: "reason.zz", nameVi: "x", nameEn: "x", group: REASON }) { metric { code } } }`],
  };
  const ALLOWED: Record<string, string[]> = {
    ADMIN: Object.keys(OPS).filter((op) => op !== 'createMetric'),
    OFFICER: ['units', 'me', 'campaigns', 'reportProgress', 'teams', 'createTeam', 'addTeamMember', 'assignTeam'],
    VIEWER: ['units', 'me', 'campaigns', 'teams'],
    TEAM_LEADER: ['units', 'me', 'campaigns', 'reportProgress', 'teams', 'addTeamMember'],
  };

  it.each(Object.keys(ALLOWED))('%s: FORBIDDEN exactly for the operations the role lacks', async (role) => {
    for (const [op, [query, vars]] of Object.entries(OPS)) {
      const code = codeOf(await gql(t, query, vars ?? {}, tokens[role]));
      if (ALLOWED[role].includes(op)) expect([op, code]).not.toEqual([op, 'FORBIDDEN']);
      else expect([op, code]).toEqual([op, 'FORBIDDEN']);
      expect([op, code]).not.toEqual([op, 'UNAUTHENTICATED']);
    }
  });

  it('anonymous callers get UNAUTHENTICATED for everything but login and refreshSession', async () => {
    for (const [op, [query, vars]] of Object.entries(OPS)) expect([op, codeOf(await gql(t, query, vars ?? {}))]).toEqual([op, 'UNAUTHENTICATED']);
  });

  const UNIT = `query($id: ID!) { unit(id: $id) { code } }`;
  const UPDATE = `mutation($id: ID!, $n: String!) { updateUnit(input: { id: $id, name: $n }) { unit { name } } }`;

  it('sibling subtrees are invisible: unit(id) and updateUnit answer NOT_FOUND', async () => {
    expect(codeOf(await gql(t, UNIT, { id: gid.P2 }, tokens.ADMIN))).toBe('NOT_FOUND');
    expect(codeOf(await gql(t, UNIT, { id: gid.D2 }, tokens.OFFICER))).toBe('NOT_FOUND');
    expect(codeOf(await gql(t, UNIT, { id: gid.C2 }, tokens.VIEWER))).toBe('NOT_FOUND');
    expect(codeOf(await gql(t, UNIT, { id: gid.C2 }, tokens.TEAM_LEADER))).toBe('NOT_FOUND');
    expect(codeOf(await gql(t, UPDATE, { id: gid.C3, n: 'Hijacked' }, tokens.ADMIN))).toBe('NOT_FOUND');
    const [{ name }] = await t.sql<{ name: string }>(`select name from admin_unit where code = 'C3'`);
    expect(name).toBe('Xã Bắc Sơn');
  });

  it('an ADMIN edits strictly below its unit: its own unit is FORBIDDEN, a child works', async () => {
    expect(codeOf(await gql(t, UPDATE, { id: gid.P1, n: 'Renamed' }, tokens.ADMIN))).toBe('FORBIDDEN');
    expect(ok(await gql(t, UPDATE, { id: gid.D2, n: 'Huyện Phú Ninh' }, tokens.ADMIN)).updateUnit.unit.name).toBe('Huyện Phú Ninh');
    const [{ name }] = await t.sql<{ name: string }>(`select name from admin_unit where code = 'P1'`);
    expect(name).toBe('Tỉnh Quảng Nam');
  });
});
