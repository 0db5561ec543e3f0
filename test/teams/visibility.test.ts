import { startTestApp, type TestApp } from '../support/app';
import { codeOf, gql, ok } from '../support/client';
import { principalWith } from '../support/principals';
import { addMember, ADD_MEMBER, ASSIGN, assignInput, createTeam, gid, insertCampaign, teamTables, teamTree } from './support';

let t: TestApp;
let ids: Record<string, number>;
let officer: string;
let teamA: string;
let teamB: string;
let leaderA: string;
let leaderB: string;
let campaign: number;
const localId = (g: string) => Number(Buffer.from(g, 'base64url').toString().split(':')[1]);

beforeAll(async () => {
  t = await startTestApp();
  ids = await teamTree(t);
  officer = (await principalWith(t, [{ role: 'OFFICER', unit: 'TC' }])).token;
  campaign = await insertCampaign(t, ids.TP);
  teamA = await createTeam(t, officer, ids.TC, 'Tổ A');
  teamB = await createTeam(t, officer, ids.TC, 'Tổ B');
  const mA = await addMember(t, officer, teamA, { fullName: 'Trưởng tổ A', phone: '0911 111 111', isLeader: true });
  const mB = await addMember(t, officer, teamB, { fullName: 'Trưởng tổ B', phone: '0922 222 222', isLeader: true });
  ok(await gql(t, ASSIGN, { input: assignInput(teamA, campaign, [ids['TC-1'], ids['TC-2']], mA) }, officer));
  ok(await gql(t, ASSIGN, { input: assignInput(teamB, campaign, [ids['TC-3']], mB) }, officer));
  // Leaders sign in after the assignments exist: their hamlets are loaded with their grants on each request.
  leaderA = (await principalWith(t, [{ role: 'TEAM_LEADER', unit: 'TC', teamId: localId(teamA) }])).token;
  leaderB = (await principalWith(t, [{ role: 'TEAM_LEADER', unit: 'TC', teamId: localId(teamB) }])).token;
});
afterAll(() => t?.close());

const MEMBERS = `query($id: ID!) { team(id: $id) { leader { phone } members { fullName phone } assignments { hamlet { code } responsibleMember { phone } } } }`;

describe('phone numbers are personal data (ability.ts readContact on TeamMember)', () => {
  it.each([
    ['SYSTEM_ADMIN', 'OP', true],
    ['ADMIN', 'TP', true],
    ['OFFICER', 'TD', true],
    ['VIEWER', 'TC', false],
  ] as const)('%s at %s sees phones: %s', async (role, unit, sees) => {
    const token = (await principalWith(t, [{ role, unit }])).token;
    const team = ok(await gql(t, MEMBERS, { id: teamA }, token)).team;
    const phone = sees ? '0911 111 111' : null;
    expect(team.members).toEqual([{ fullName: 'Trưởng tổ A', phone }]);
    expect(team.leader.phone).toBe(phone);
    expect(team.assignments.map((a: { responsibleMember: { phone: string | null } }) => a.responsibleMember.phone)).toEqual([phone, phone]);
  });

  it("the team's own TEAM_LEADER sees phones; another team's leader does not see the team at all", async () => {
    expect(ok(await gql(t, MEMBERS, { id: teamA }, leaderA)).team.members).toEqual([{ fullName: 'Trưởng tổ A', phone: '0911 111 111' }]);
    expect(codeOf(await gql(t, MEMBERS, { id: teamA }, leaderB))).toBe('NOT_FOUND');
    expect(ok(await gql(t, '{ teams { nodes { name } } }', {}, leaderB)).teams.nodes).toEqual([{ name: 'Tổ B' }]);
  });

  it('an OFFICER out of scope does not see the team (NOT_FOUND)', async () => {
    const token = (await principalWith(t, [{ role: 'OFFICER', unit: 'OP' }])).token;
    expect(codeOf(await gql(t, MEMBERS, { id: teamA }, token))).toBe('NOT_FOUND');
  });
});

describe('TEAM_LEADER works on its assigned hamlets only', () => {
  it('reads exactly its assigned hamlets (not the commune, not other hamlets)', async () => {
    const units = ok(await gql(t, '{ units { nodes { code } } }', {}, leaderA)).units.nodes.map((n: { code: string }) => n.code);
    expect(units.sort()).toEqual(['TC-1', 'TC-2']);
    expect(codeOf(await gql(t, `query($id: ID!) { unit(id: $id) { code } }`, { id: gid('Unit', ids['TC-3']) }, leaderA))).toBe('NOT_FOUND');
    expect(codeOf(await gql(t, `query($id: ID!) { unit(id: $id) { code } }`, { id: gid('Unit', ids.TC) }, leaderA))).toBe('NOT_FOUND');
    const campaigns = ok(await gql(t, '{ campaigns { totalCount } }', {}, leaderA)).campaigns.totalCount;
    expect(campaigns).toBe(1);
  });

  it('reports progress for its assigned hamlets only', async () => {
    const REPORT = `mutation($input: ReportProgressInput!) { reportProgress(input: $input) { changed } }`;
    const input = (h: number) => ({ unitId: gid('Unit', h), asOf: '2023-09-10', values: [{ metric: 'eid.activated', value: 40 }] });
    expect(ok(await gql(t, REPORT, { input: input(ids['TC-1']) }, leaderA)).reportProgress.changed).toBe(1);
    expect(codeOf(await gql(t, REPORT, { input: input(ids['TC-3']) }, leaderA))).toBe('NOT_FOUND');
  });

  it('edits its own members but cannot manage the team or assign it (FORBIDDEN), nothing written', async () => {
    const added = ok(await gql(t, ADD_MEMBER, { input: { teamId: teamA, fullName: 'Tổ viên mới', phone: '0933 333 333' } }, leaderA)).addTeamMember.member;
    expect(added.phone).toBe('0933 333 333');
    const before = await teamTables(t);
    expect(codeOf(await gql(t, ADD_MEMBER, { input: { teamId: teamA, fullName: 'X' } }, leaderB))).toBe('NOT_FOUND');
    expect(codeOf(await gql(t, `mutation($i: UpdateTeamInput!) { updateTeam(input: $i) { team { name } } }`, { i: { id: teamA, name: 'X' } }, leaderA))).toBe('FORBIDDEN');
    const [m] = await t.sql<{ id: number }>(`select id from team_member where full_name = 'Trưởng tổ A'`);
    expect(codeOf(await gql(t, ASSIGN, { input: assignInput(teamA, campaign, [ids['TC-1']], gid('TeamMember', m.id)) }, leaderA))).toBe('FORBIDDEN');
    expect(await teamTables(t)).toBe(before);
  });

  it('assignment.progress: the hamlet gained since the start, against the expected result', async () => {
    const q = `query($id: ID!) { team(id: $id) { assignments { hamlet { code } progress(asOf: "2023-09-30") { metric target achieved rate } } } }`;
    const assignments = ok(await gql(t, q, { id: teamA }, officer)).team.assignments;
    expect(assignments[0]).toEqual({ hamlet: { code: 'TC-1' }, progress: [{ metric: 'eid.activated', target: 120, achieved: 40, rate: 40 / 120 }] });
    expect(assignments[1].progress[0].achieved).toBe(0);
  });
});
