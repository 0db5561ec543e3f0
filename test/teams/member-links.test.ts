import { startTestApp, type TestApp } from '../support/app';
import { codeOf, gql, ok } from '../support/client';
import { principalWith } from '../support/principals';
import { userWith } from '../support/accounts';
import { toGlobalId } from '../../src/common/global-id';
import { gid, teamTables, teamTree } from './support';

/*
 * Leak 3 of issue 15: addTeamMember / updateTeamMember accepted any principalId and answered with its display
 * name, so an OFFICER or a TEAM_LEADER could enumerate every account and whether it was active. Only principals
 * the caller may read (or the caller itself) can be linked; any other answers exactly like a missing one.
 */
let t: TestApp;
let ids: Record<string, number>;
let team: string;
let member: string;
const tokens: Record<string, string> = {};
const who: Record<string, { id: number; gid: string }> = {};

const ADD = `mutation($t: ID!, $p: ID) { addTeamMember(input: { teamId: $t, fullName: "Phạm Văn Cường", principalId: $p }) { member { id principal { id displayName } } } }`;
const UPDATE = `mutation($m: ID!, $p: ID) { updateTeamMember(input: { id: $m, principalId: $p }) { member { principal { id displayName } } } }`;

beforeAll(async () => {
  t = await startTestApp();
  ids = await teamTree(t);
  const admin = await principalWith(t, [{ role: 'ADMIN', unit: 'TP' }]);
  tokens.admin = admin.token;
  const officer = await principalWith(t, [{ role: 'OFFICER', unit: 'TC' }]);
  tokens.officer = officer.token;
  who.officer = { id: officer.id, gid: toGlobalId('Principal', officer.id) };
  team = ok(await gql(t, `mutation($u: ID!) { createTeam(input: { unitId: $u, name: "Tổ 2", kind: OTHER }) { team { id } } }`, { u: gid('Unit', ids.TC) }, admin.token)).createTeam.team.id;
  member = ok(await gql(t, ADD, { t: team, p: null }, admin.token)).addTeamMember.member.id;
  const [{ id: teamId }] = await t.sql<{ id: number }>(`select id from team where name = 'Tổ 2'`);
  const leader = await principalWith(t, [{ role: 'TEAM_LEADER', unit: 'TC', teamId }]);
  tokens.leader = leader.token;
  who.leader = { id: leader.id, gid: toGlobalId('Principal', leader.id) };
  who.sysadmin = await userWith(t, { grants: [{ role: 'SYSTEM_ADMIN', unit: '*' }] });
  who.disabledSysadmin = await userWith(t, { grants: [{ role: 'SYSTEM_ADMIN', unit: '*' }] });
  await t.sql(`update principal set status = 'DISABLED' where id = $1`, [who.disabledSysadmin.id]);
  who.local = await userWith(t, { home: 'TC', grants: [{ role: 'VIEWER', unit: 'TC' }] });
  who.localDisabled = await userWith(t, { home: 'TC' });
  await t.sql(`update principal set status = 'DISABLED' where id = $1`, [who.localDisabled.id]);
  who.elsewhere = await userWith(t, { home: 'OC', grants: [{ role: 'VIEWER', unit: 'OC' }] });
});
afterAll(() => t?.close());

/** The error as a client sees it, with the id it named replaced: an existing account must look like a missing one. */
const refusal = (r: Awaited<ReturnType<typeof gql>>, named: string) => ({
  code: codeOf(r),
  message: r.errors?.[0].message.replace(named, '<id>'),
  data: r.data,
});

describe('linking a member to an account', () => {
  const missing = toGlobalId('Principal', 987654);

  it.each([
    ['OFFICER', 'officer', ['sysadmin', 'disabledSysadmin', 'local', 'elsewhere']],
    ['TEAM_LEADER', 'leader', ['sysadmin', 'disabledSysadmin', 'local', 'officer']],
    ['ADMIN', 'admin', ['sysadmin', 'disabledSysadmin', 'elsewhere']],
  ])('%s: accounts it may not read answer exactly like a missing one, active or not, and nothing is written', async (_role, token, targets) => {
    const before = await teamTables(t);
    const expected = refusal(await gql(t, ADD, { t: team, p: missing }, tokens[token]), missing);
    expect(expected.code).toBe('NOT_FOUND');
    for (const target of targets as string[]) {
      expect(refusal(await gql(t, ADD, { t: team, p: who[target].gid }, tokens[token]), who[target].gid)).toEqual(expected);
      expect(refusal(await gql(t, UPDATE, { m: member, p: who[target].gid }, tokens[token]), who[target].gid)).toEqual({ ...expected, data: null });
    }
    expect(await teamTables(t)).toBe(before);
  });

  it('the caller itself can be linked (a TEAM_LEADER to its own member row, an OFFICER when it joins a team)', async () => {
    const linked = ok(await gql(t, UPDATE, { m: member, p: who.leader.gid }, tokens.leader)).updateTeamMember.member.principal;
    expect(linked.id).toBe(who.leader.gid);
    const added = ok(await gql(t, ADD, { t: team, p: who.officer.gid }, tokens.officer)).addTeamMember.member.principal;
    expect(added.id).toBe(who.officer.gid);
  });

  it('an ADMIN links accounts it manages; a disabled one it manages is a bad input', async () => {
    const added = ok(await gql(t, ADD, { t: team, p: who.local.gid }, tokens.admin)).addTeamMember.member.principal;
    expect(added.id).toBe(who.local.gid);
    const before = await teamTables(t);
    const disabled = await gql(t, ADD, { t: team, p: who.localDisabled.gid }, tokens.admin);
    expect(codeOf(disabled)).toBe('BAD_USER_INPUT');
    expect(disabled.errors![0].extensions.fieldPaths).toEqual(['input.principalId']);
    expect(await teamTables(t)).toBe(before);
  });
});
