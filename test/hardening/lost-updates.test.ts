import { startTestApp, type TestApp } from '../support/app';
import { gql, ok } from '../support/client';
import { principalWith, type TestPrincipal } from '../support/principals';
import { holdLocks } from '../support/locks';
import { addMember, assignInput, ASSIGN, createTeam, gid, insertCampaign, teamTree } from '../teams/support';

/*
 * Partial edits of one object sent at once: each keeps the fields it leaves out as they ARE (not as they were
 * when the request started), so no edit undoes another. A held row lock lines the edits up at the same point
 * of their work, so the race happens on every run.
 */
let t: TestApp;
let ids: Record<string, number>;
let admin: TestPrincipal;
let sys: TestPrincipal;

beforeAll(async () => {
  t = await startTestApp({ DB_POOL_MAX: '30' });
  ids = await teamTree(t);
  admin = await principalWith(t, [{ role: 'ADMIN', unit: 'TP' }]);
  sys = await principalWith(t, [{ role: 'SYSTEM_ADMIN', unit: 'TP' }]);
});
afterAll(() => t?.close());

/** Sends the requests one by one, each once the previous one waits behind the held lock (so they run in this order). */
async function queued(lockSql: string, params: unknown[], requests: (() => Promise<unknown>)[]): Promise<unknown[]> {
  const held = await holdLocks(t, [[lockSql, params]]);
  const pending: Promise<unknown>[] = [];
  for (const [i, send] of requests.entries()) {
    pending.push(send());
    await held.waiters(i + 1);
  }
  await held.release();
  return Promise.all(pending);
}

describe('updateCampaign', () => {
  const UPDATE = `mutation($input: UpdateCampaignInput!) { updateCampaign(input: $input) { campaign { id } } }`;

  it('20 concurrent partial edits (4 rounds of 5 fields at once) lose no field', async () => {
    const campaignId = await insertCampaign(t, ids.TP);
    const id = gid('Campaign', campaignId);
    for (let r = 1; r <= 4; r++) {
      const edits = [
        { name: `Chiến dịch vòng ${r}` },
        { description: `Mô tả vòng ${r}` },
        { startDate: `2023-09-0${r}` },
        { deadline: `2023-11-2${r}` },
        { minTeamsPerHamlet: r },
      ];
      const results = await queued('select 1 from campaign where id = $1 for update', [campaignId], edits.map((e) => () => gql(t, UPDATE, { input: { id, ...e } }, admin.token)));
      results.forEach((res) => ok(res as never));
      const [row] = await t.sql(
        `select name, description, to_char(start_date, 'YYYY-MM-DD') as "startDate", to_char(deadline, 'YYYY-MM-DD') as deadline, min_teams_per_hamlet as "minTeamsPerHamlet" from campaign where id = $1`,
        [campaignId],
      );
      expect(row).toEqual(Object.assign({}, ...edits));
    }
    const audits = await t.sql<{ before: Record<string, unknown>; after: Record<string, unknown> }>(
      `select before, after from audit_entry where action = 'campaign.update' and object_id = $1 order by id`,
      [String(campaignId)],
    );
    expect(audits).toHaveLength(20);
    // Each audit's "before" is the row as the edit found it: what the edit committed just before it, in whatever order.
    const fields = ['name', 'description', 'startDate', 'deadline', 'minTeamsPerHamlet'];
    const pick = (o: Record<string, unknown>) => Object.fromEntries(fields.map((f) => [f, o[f]]));
    for (let k = 1; k < audits.length; k++) expect(pick(audits[k].before)).toEqual(pick(audits[k - 1].after));
  });
});

describe('assignments', () => {
  const UPDATE = `mutation($i: UpdateAssignmentInput!) { updateAssignment(input: $i) { assignment { id } } }`;
  const COMPLETE = `mutation($i: CompleteAssignmentInput!) { completeAssignment(input: $i) { assignment { id } } }`;

  async function newAssignment(): Promise<{ gid: string; rowId: number; token: string }> {
    const officer = await principalWith(t, [{ role: 'OFFICER', unit: 'TP' }]);
    const campaignId = await insertCampaign(t, ids.TP);
    const team = await createTeam(t, officer.token, ids.TC);
    const member = await addMember(t, officer.token, team);
    const [a] = ok(await gql(t, ASSIGN, { input: assignInput(team, campaignId, [ids['TC-1']], member) }, officer.token)).assignTeam.assignments;
    const [{ id: rowId }] = await t.sql<{ id: number }>('select id from team_assignment order by id desc limit 1');
    return { gid: a.id, rowId, token: officer.token };
  }
  const rowOf = async (rowId: number) =>
    (await t.sql(`select task, to_char(due_date, 'YYYY-MM-DD') as "dueDate", status, outcome_note as "outcomeNote" from team_assignment where id = $1`, [rowId]))[0];

  it('updateAssignment (task) and updateAssignment (dueDate) at once keep both', async () => {
    const a = await newAssignment();
    const results = await queued('select 1 from team_assignment where id = $1 for update', [a.rowId], [
      () => gql(t, UPDATE, { i: { id: a.gid, task: 'Rà soát lại ấp 1' } }, a.token),
      () => gql(t, UPDATE, { i: { id: a.gid, dueDate: '2023-11-15' } }, a.token),
    ]);
    results.forEach((res) => ok(res as never));
    expect(await rowOf(a.rowId)).toMatchObject({ task: 'Rà soát lại ấp 1', dueDate: '2023-11-15' });
  });

  it('completeAssignment queued behind an update keeps the new task, and audits the row it found as "before"', async () => {
    // Two requests only: the second waits for the first (PostgreSQL queues a third behind an updated row less strictly).
    const a = await newAssignment();
    const results = await queued('select 1 from team_assignment where id = $1 for update', [a.rowId], [
      () => gql(t, UPDATE, { i: { id: a.gid, task: 'Rà soát lại ấp 1' } }, a.token),
      () => gql(t, COMPLETE, { i: { id: a.gid, outcomeNote: 'Xong' } }, a.token),
    ]);
    results.forEach((res) => ok(res as never));
    expect(await rowOf(a.rowId)).toMatchObject({ task: 'Rà soát lại ấp 1', status: 'DONE', outcomeNote: 'Xong' });
    const [done] = await t.sql<{ before: { task: string } }>(`select before from audit_entry where action = 'team.assignment.complete' and object_id = $1`, [String(a.rowId)]);
    expect(done.before.task).toBe('Rà soát lại ấp 1');
  });
});

describe('teams, members and metrics', () => {
  it('updateTeam (name) and updateTeam (kind) at once keep both', async () => {
    const officer = await principalWith(t, [{ role: 'OFFICER', unit: 'TP' }]);
    const team = await createTeam(t, officer.token, ids.TC, 'Tổ 1', 'YOUTH_UNION');
    const [{ id }] = await t.sql<{ id: number }>(`select id from team order by id desc limit 1`);
    const UPDATE = `mutation($i: UpdateTeamInput!) { updateTeam(input: $i) { team { id } } }`;
    const results = await queued('select 1 from team where id = $1 for update', [id], [
      () => gql(t, UPDATE, { i: { id: team, name: 'Tổ công tác ấp 1' } }, officer.token),
      () => gql(t, UPDATE, { i: { id: team, kind: 'OFFICIALS' } }, officer.token),
    ]);
    results.forEach((res) => ok(res as never));
    expect(await t.sql('select name, kind from team where id = $1', [id])).toEqual([{ name: 'Tổ công tác ấp 1', kind: 'OFFICIALS' }]);
  });

  it('updateTeamMember (fullName) and updateTeamMember (phone) at once keep both', async () => {
    const officer = await principalWith(t, [{ role: 'OFFICER', unit: 'TP' }]);
    const team = await createTeam(t, officer.token, ids.TC);
    const member = await addMember(t, officer.token, team);
    const [{ teamId, memberId }] = await t.sql<{ teamId: number; memberId: number }>(`select team_id as "teamId", id as "memberId" from team_member order by id desc limit 1`);
    const UPDATE = `mutation($i: UpdateTeamMemberInput!) { updateTeamMember(input: $i) { member { id } } }`;
    const results = await queued('select 1 from team where id = $1 for update', [teamId], [
      () => gql(t, UPDATE, { i: { id: member, fullName: 'Lê Thị Cúc' } }, officer.token),
      () => gql(t, UPDATE, { i: { id: member, phone: '0987 654 321' } }, officer.token),
    ]);
    results.forEach((res) => ok(res as never));
    expect(await t.sql('select full_name as "fullName", phone from team_member where id = $1', [memberId])).toEqual([{ fullName: 'Lê Thị Cúc', phone: '0987 654 321' }]);
  });

  it('updateMetric (nameVi) and updateMetric (nameEn) at once keep both', async () => {
    const CREATE = `mutation($input: CreateMetricInput!) { createMetric(input: $input) { metric { code } } }`;
    ok(await gql(t, CREATE, { input: { code: 'service.race_test', nameVi: 'Thử', nameEn: 'Test', group: 'SERVICE' } }, sys.token));
    const UPDATE = `mutation($input: UpdateMetricInput!) { updateMetric(input: $input) { metric { code } } }`;
    const results = await queued(`select 1 from metric where code = 'service.race_test' for update`, [], [
      () => gql(t, UPDATE, { input: { code: 'service.race_test', nameVi: 'Tài khoản thử' } }, sys.token),
      () => gql(t, UPDATE, { input: { code: 'service.race_test', nameEn: 'Test accounts' } }, sys.token),
    ]);
    results.forEach((res) => ok(res as never));
    expect(await t.sql(`select name_vi as "nameVi", name_en as "nameEn" from metric where code = 'service.race_test'`)).toEqual([{ nameVi: 'Tài khoản thử', nameEn: 'Test accounts' }]);
  });
});
