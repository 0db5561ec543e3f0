import { startTestApp, type TestApp } from '../support/app';
import { codeOf, gql, ok } from '../support/client';
import { principalWith } from '../support/principals';
import { addMember, ADD_MEMBER, ASSIGN, assignInput, createTeam, CREATE_TEAM, gid, insertCampaign, teamTables, teamTree } from './support';

let t: TestApp;
let ids: Record<string, number>;
let officer: string;
let otherOfficer: string;
let viewer: string;
let campaign: number;

beforeAll(async () => {
  t = await startTestApp();
  ids = await teamTree(t);
  officer = (await principalWith(t, [{ role: 'OFFICER', unit: 'TD' }])).token;
  otherOfficer = (await principalWith(t, [{ role: 'OFFICER', unit: 'OP' }])).token;
  viewer = (await principalWith(t, [{ role: 'VIEWER', unit: 'TC' }])).token;
  campaign = await insertCampaign(t, ids.TP);
});
afterAll(() => t?.close());

const TEAM = `query($id: ID!) { team(id: $id) { id name kind active disbandedAt unit { code } leader { fullName } members { fullName isLeader }
  assignments { id status hamlet { code } } } }`;

describe('teams CRUD', () => {
  it('an OFFICER forms a team at a commune, renames it, adds members (one leader), and every write is audited', async () => {
    const team = await createTeam(t, officer, ids.TC, 'Tổ 1 ấp 1');
    const first = await addMember(t, officer, team, { fullName: 'Trần Thị Bình', isLeader: true, role: 'tổ trưởng', organisation: 'Hội phụ nữ' });
    await addMember(t, officer, team, { fullName: 'Lê Văn Cường', isLeader: true });
    const upd = ok(await gql(t, `mutation($i: UpdateTeamInput!) { updateTeam(input: $i) { team { name kind } } }`, { i: { id: team, name: 'Tổ công tác 06 ấp 1', kind: 'OFFICIALS' } }, officer));
    expect(upd.updateTeam.team).toEqual({ name: 'Tổ công tác 06 ấp 1', kind: 'OFFICIALS' });
    const read = ok(await gql(t, TEAM, { id: team }, officer)).team;
    expect(read.unit.code).toBe('TC');
    expect(read.leader.fullName).toBe('Lê Văn Cường');
    expect(read.members).toEqual([{ fullName: 'Lê Văn Cường', isLeader: true }, { fullName: 'Trần Thị Bình', isLeader: false }]);
    const um = ok(await gql(t, `mutation($i: UpdateTeamMemberInput!) { updateTeamMember(input: $i) { member { fullName phone role } } }`, { i: { id: first, phone: null, role: 'tổ viên' } }, officer));
    expect(um.updateTeamMember.member).toEqual({ fullName: 'Trần Thị Bình', phone: null, role: 'tổ viên' });
    const audits = await t.sql<{ action: string }>(`select action from audit_entry where action like 'team.%' order by id`);
    expect(audits.map((a) => a.action)).toEqual(['team.create', 'team.member.add', 'team.member.add', 'team.update', 'team.member.update']);
  });

  it('a team belongs to a commune or hamlet: a district is refused (BAD_USER_INPUT), nothing written', async () => {
    const before = await teamTables(t);
    const res = await gql(t, CREATE_TEAM, { input: { unitId: gid('Unit', ids.TD), name: 'X', kind: 'OTHER' } }, officer);
    expect(codeOf(res)).toBe('BAD_USER_INPUT');
    expect(res.errors![0].extensions.fieldPaths).toEqual(['input.unitId']);
    expect(await teamTables(t)).toBe(before);
  });

  it('outside the jurisdiction: NOT_FOUND for team(id), createTeam and writes; VIEWER: FORBIDDEN to write; lists exclude', async () => {
    const team = await createTeam(t, officer, ids['TC-2'], 'Tổ ấp 2');
    const before = await teamTables(t);
    expect(codeOf(await gql(t, TEAM, { id: team }, otherOfficer))).toBe('NOT_FOUND');
    expect(codeOf(await gql(t, CREATE_TEAM, { input: { unitId: gid('Unit', ids.TC), name: 'X', kind: 'OTHER' } }, otherOfficer))).toBe('NOT_FOUND');
    expect(codeOf(await gql(t, ADD_MEMBER, { input: { teamId: team, fullName: 'X' } }, otherOfficer))).toBe('NOT_FOUND');
    expect(codeOf(await gql(t, `mutation($i: DisbandTeamInput!) { disbandTeam(input: $i) { cancelledAssignments } }`, { i: { id: team } }, otherOfficer))).toBe('NOT_FOUND');
    expect(codeOf(await gql(t, CREATE_TEAM, { input: { unitId: gid('Unit', ids.TC), name: 'X', kind: 'OTHER' } }, viewer))).toBe('FORBIDDEN');
    expect(codeOf(await gql(t, ADD_MEMBER, { input: { teamId: team, fullName: 'X' } }, viewer))).toBe('FORBIDDEN');
    expect(ok(await gql(t, '{ teams { totalCount } }', {}, otherOfficer)).teams.totalCount).toBe(0);
    expect(ok(await gql(t, TEAM, { id: team }, viewer)).team.name).toBe('Tổ ấp 2');
    expect(await teamTables(t)).toBe(before);
  });

  it('teams(unitId, campaignId, kind) filters and pages', async () => {
    const all = ok(await gql(t, `query($u: ID) { teams(unitId: $u, first: 1) { totalCount edges { node { name } } pageInfo { hasNextPage } } }`, { u: gid('Unit', ids.TC) }, officer)).teams;
    expect(all.totalCount).toBe(2);
    expect(all.pageInfo.hasNextPage).toBe(true);
    const kind = ok(await gql(t, `{ teams(kind: OFFICIALS) { nodes { name } } }`, {}, officer)).teams;
    expect(kind.nodes).toEqual([{ name: 'Tổ công tác 06 ấp 1' }]);
    const inCampaign = ok(await gql(t, `query($c: ID) { teams(campaignId: $c) { totalCount } }`, { c: gid('Campaign', campaign) }, officer)).teams;
    expect(inCampaign.totalCount).toBe(0);
  });
});

describe('assignTeam', () => {
  let team: string;
  let member: string;
  let outsider: string;
  beforeAll(async () => {
    team = await createTeam(t, officer, ids.TC, 'Tổ thanh niên');
    member = await addMember(t, officer, team, { isLeader: true });
    const other = await createTeam(t, officer, ids.TC, 'Tổ khác');
    outsider = await addMember(t, officer, other, { fullName: 'Người ngoài' });
  });

  it('sends one team to many hamlets in one call, one assignment each, audited', async () => {
    const auditsBefore = (await t.sql<{ n: number }>(`select count(*)::int as n from audit_entry where action = 'team.assign'`))[0].n;
    const res = ok(await gql(t, ASSIGN, { input: assignInput(team, campaign, [ids['TC-1'], ids['TC-3'], ids['TC-5']], member) }, officer)).assignTeam;
    expect(res.assignments.map((a: { hamlet: { code: string } }) => a.hamlet.code)).toEqual(['TC-1', 'TC-3', 'TC-5']);
    expect(res.assignments[0]).toMatchObject({ status: 'PLANNED', startDate: '2023-09-05', dueDate: '2023-10-05', expectedResults: [{ metric: 'eid.activated', target: 120 }], responsibleMember: { fullName: 'Nguyễn Văn An' } });
    const [{ n }] = await t.sql<{ n: number }>(`select count(*)::int as n from audit_entry where action = 'team.assign'`);
    expect(n - auditsBefore).toBe(3);
    const listed = ok(await gql(t, `query($c: ID) { teams(campaignId: $c) { nodes { name } } }`, { c: gid('Campaign', campaign) }, officer)).teams;
    expect(listed.nodes).toEqual([{ name: 'Tổ thanh niên' }]);
  });

  const refuse = async (input: Record<string, unknown>, code: string, fieldPaths?: string[]) => {
    const before = await teamTables(t);
    const res = await gql(t, ASSIGN, { input }, officer);
    expect(codeOf(res)).toBe(code);
    if (fieldPaths) expect(res.errors![0].extensions.fieldPaths).toEqual(fieldPaths);
    expect(await teamTables(t)).toBe(before);
    return res;
  };

  it('a hamlet outside the team unit subtree: BAD_USER_INPUT naming input.hamletIds.N, nothing written', async () => {
    const res = await refuse(assignInput(team, campaign, [ids['TC-2'], ids['TC2-1']], member), 'BAD_USER_INPUT', ['input.hamletIds.1']);
    expect(res.errors![0].message).toMatch(/outside the team's unit/);
    await refuse(assignInput(team, campaign, [ids['OC-1']], member), 'BAD_USER_INPUT', ['input.hamletIds.0']);
  });

  it('a due date outside the campaign period: BAD_USER_INPUT at input.dueDate, nothing written', async () => {
    await refuse(assignInput(team, campaign, [ids['TC-2']], member, { dueDate: '2023-12-15' }), 'BAD_USER_INPUT', ['input.dueDate']);
  });

  it('a responsible person who is not a member of the team: BAD_USER_INPUT, nothing written', async () => {
    await refuse(assignInput(team, campaign, [ids['TC-2']], outsider), 'BAD_USER_INPUT', ['input.responsibleMemberId']);
  });

  it('a metric the campaign does not track: BAD_USER_INPUT', async () => {
    await refuse(assignInput(team, campaign, [ids['TC-2']], member, { expectedResults: [{ metric: 'cccd.collected', target: 1 }] }), 'BAD_USER_INPUT', ['input.expectedResults.0.metric']);
  });

  it('a closed campaign: CONFLICT, nothing written', async () => {
    const closed = await insertCampaign(t, ids.TP, { status: 'CLOSED' });
    await refuse(assignInput(team, closed, [ids['TC-2']], member), 'CONFLICT');
  });

  it('outside the jurisdiction: NOT_FOUND, nothing written', async () => {
    const before = await teamTables(t);
    expect(codeOf(await gql(t, ASSIGN, { input: assignInput(team, campaign, [ids['TC-2']], member) }, otherOfficer))).toBe('NOT_FOUND');
    expect(await teamTables(t)).toBe(before);
  });

  it('updateAssignment and completeAssignment; a finished assignment no longer changes (CONFLICT)', async () => {
    const [a] = ok(await gql(t, ASSIGN, { input: assignInput(team, campaign, [ids['TC-6']], member) }, officer)).assignTeam.assignments;
    const upd = ok(await gql(t, `mutation($i: UpdateAssignmentInput!) { updateAssignment(input: $i) { assignment { status dueDate task } } }`,
      { i: { id: a.id, status: 'IN_PROGRESS', dueDate: '2023-11-30' } }, officer)).updateAssignment.assignment;
    expect(upd).toMatchObject({ status: 'IN_PROGRESS', dueDate: '2023-11-30' });
    const bad = await gql(t, `mutation($i: UpdateAssignmentInput!) { updateAssignment(input: $i) { assignment { status } } }`, { i: { id: a.id, dueDate: '2024-01-01' } }, officer);
    expect(codeOf(bad)).toBe('BAD_USER_INPUT');
    const done = ok(await gql(t, `mutation($i: CompleteAssignmentInput!) { completeAssignment(input: $i) { assignment { status outcomeNote } } }`,
      { i: { id: a.id, outcomeNote: '112 tài khoản kích hoạt; 8 người đi làm xa' } }, officer)).completeAssignment.assignment;
    expect(done).toEqual({ status: 'DONE', outcomeNote: '112 tài khoản kích hoạt; 8 người đi làm xa' });
    const again = await gql(t, `mutation($i: CompleteAssignmentInput!) { completeAssignment(input: $i) { assignment { status } } }`, { i: { id: a.id, outcomeNote: 'x' } }, officer);
    expect(codeOf(again)).toBe('CONFLICT');
    const audits = await t.sql<{ action: string }>(`select action from audit_entry where object_type = 'TeamAssignment' and object_id = $1 order by id`, [String(Buffer.from(a.id, 'base64url').toString().split(':')[1])]);
    expect(audits.map((x) => x.action)).toEqual(['team.assign', 'team.assignment.update', 'team.assignment.complete']);
  });

  it('a member responsible for open assignments cannot be removed (CONFLICT); others can', async () => {
    const before = await teamTables(t);
    const res = await gql(t, `mutation($i: RemoveTeamMemberInput!) { removeTeamMember(input: $i) { member { removedAt } } }`, { i: { id: member } }, officer);
    expect(codeOf(res)).toBe('CONFLICT');
    expect(await teamTables(t)).toBe(before);
    const spare = await addMember(t, officer, team, { fullName: 'Phạm Văn Dũng' });
    const removed = ok(await gql(t, `mutation($i: RemoveTeamMemberInput!) { removeTeamMember(input: $i) { member { removedAt } team { id } } }`, { i: { id: spare } }, officer));
    expect(removed.removeTeamMember.member.removedAt).not.toBeNull();
    expect(ok(await gql(t, TEAM, { id: team }, officer)).team.members.map((m: { fullName: string }) => m.fullName)).not.toContain('Phạm Văn Dũng');
  });

  it('disbanding cancels open assignments; a disbanded team cannot be assigned (CONFLICT, nothing written)', async () => {
    const res = ok(await gql(t, `mutation($i: DisbandTeamInput!) { disbandTeam(input: $i) { team { active disbandedAt } cancelledAssignments } }`, { i: { id: team } }, officer)).disbandTeam;
    expect(res.team.active).toBe(false);
    expect(res.cancelledAssignments).toBe(3);
    await refuse(assignInput(team, campaign, [ids['TC-2']], member), 'CONFLICT');
    expect(ok(await gql(t, TEAM, { id: team }, officer)).team.assignments.every((a: { status: string }) => a.status === 'CANCELLED' || a.status === 'DONE')).toBe(true);
  });
});
