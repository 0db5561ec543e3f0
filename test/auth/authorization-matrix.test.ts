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
 * 'public': no credentials; 'authenticated': any principal; otherwise the coarse permission. '…@object': an operation on an
 * object named by id, refused after the scoped lookup (NOT_FOUND when invisible, FORBIDDEN when visible; named-objects.test.ts).
 */
const MATRIX: Record<string, string> = {
  'Query.node': 'authenticated',
  'Query.unit': 'read:Unit@object',
  'Query.unitByCode': 'read:Unit@object',
  'Query.metric': 'read:Metric',
  'Query.metrics': 'read:Metric',
  'Query.units': 'read:Unit',
  'Query.me': 'authenticated',
  'Query.principals': 'read:Principal',
  'Query.principal': 'read:Principal@object',
  'Query.auditLog': 'read:AuditEntry',
  'Mutation.createUnit': 'create:Unit@object',
  'Mutation.updateUnit': 'update:Unit@object',
  'Mutation.moveUnit': 'move:Unit@object',
  'Mutation.retireUnit': 'retire:Unit@object',
  'Mutation.importUnits': 'import:Unit',
  'Mutation.mergeUnits': 'retire:Unit@object',
  'Mutation.splitUnit': 'retire:Unit@object',
  'Mutation.renameUnit': 'update:Unit@object',
  'Mutation.applyRestructuring': 'import:Unit',
  'Mutation.login': 'public',
  'Mutation.refreshSession': 'public',
  'Mutation.logout': 'authenticated',
  'Mutation.logoutEverywhere': 'authenticated',
  'Mutation.changeMyPassword': 'authenticated',
  'Mutation.createUser': 'create:Principal@object',
  'Mutation.createServiceAccount': 'create:Principal@object',
  'Mutation.createApiKey': 'update:Principal@object',
  'Mutation.revokeApiKey': 'update:Principal@object',
  'Mutation.grantRole': 'grant:Principal@object',
  'Mutation.revokeRole': 'grant:Principal@object',
  'Mutation.disablePrincipal': 'update:Principal@object',
  'Mutation.enablePrincipal': 'update:Principal@object',
  'Mutation.resetPassword': 'update:Principal@object',
  'Mutation.unlockPrincipal': 'update:Principal@object',
  'Mutation.updatePrincipal': 'update:Principal@object',
  'Mutation.importPrincipals': 'create:Principal & grant:Principal',
  'Query.campaign': 'read:Campaign@object',
  'Query.campaigns': 'read:Campaign',
  'Mutation.createCampaign': 'create:Campaign@object',
  'Mutation.updateCampaign': 'update:Campaign@object',
  'Mutation.activateCampaign': 'update:Campaign@object',
  'Mutation.closeCampaign': 'update:Campaign@object',
  'Mutation.assignQuotas': 'assign:Quota@object',
  'Mutation.createMetric': 'create:Metric',
  'Mutation.updateMetric': 'update:Metric',
  'Mutation.reportProgress': 'report:Progress@object',
  'Mutation.importProgress': 'report:Progress',
  'Query.team': 'read:Team@object',
  'Query.teams': 'read:Team',
  'Mutation.createTeam': 'manage:Team@object',
  'Mutation.updateTeam': 'manage:Team@object',
  'Mutation.disbandTeam': 'manage:Team@object',
  'Mutation.addTeamMember': 'edit:TeamMember@object',
  'Mutation.updateTeamMember': 'edit:TeamMember@object',
  'Mutation.removeTeamMember': 'edit:TeamMember@object',
  'Mutation.assignTeam': 'manage:Team@object',
  'Mutation.updateAssignment': 'manage:Team@object',
  'Mutation.completeAssignment': 'manage:Team@object',
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

  // Operations that name no object: the coarse gate answers. (Those that do: named-objects.test.ts.)
  const OPS: Record<string, [string, Record<string, unknown>?]> = {
    units: ['{ units { totalCount } }'],
    me: ['{ me { permissions } }'],
    principals: ['{ principals { totalCount } }'],
    auditLog: ['{ auditLog { totalCount } }'],
    importUnits: [`mutation { importUnits(input: { csv: "", dryRun: true }) { created } }`],
    campaigns: ['{ campaigns { totalCount } }'],
    importProgress: [`mutation { importProgress(input: { rows: [], dryRun: true }) { changed } }`],
    teams: ['{ teams { totalCount } }'],
    createMetric: [`mutation { createMetric(input: { code: "reason.zz", nameVi: "x", nameEn: "x", group: REASON }) { metric { code } } }`],
  };
  const ALLOWED: Record<string, string[]> = {
    ADMIN: Object.keys(OPS).filter((op) => op !== 'createMetric'),
    OFFICER: ['units', 'me', 'campaigns', 'importProgress', 'teams'],
    VIEWER: ['units', 'me', 'campaigns', 'teams'],
    TEAM_LEADER: ['units', 'me', 'campaigns', 'importProgress', 'teams'],
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
