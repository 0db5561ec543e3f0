import type { EntityManager } from '@mikro-orm/postgresql';
import { unscoped } from '../common/scoped';
import { OPEN_STATUSES, type AssignmentStatus, type TeamKind } from './team-enums';
import { assignmentsByIds, membersByIds, teamsByIds, type AssignmentRow, type ExpectedResult, type MemberRow, type TeamRow } from './team.repo';

/** Writes to team, team_member and team_assignment. Callers have checked jurisdiction on the team involved. */

const list = (n: number) => Array.from({ length: n }, () => '?').join(',');

/** Re-reads a team inside the transaction, locked (`for update` to change it, `for share` to assign it). */
export async function lockTeam(em: EntityManager, id: number, mode: 'update' | 'share'): Promise<TeamRow | null> {
  const [row] = await teamsByIds(em, [id], unscoped('lock inside a write: the caller was allowed to act on this team'), `for ${mode} of t`);
  return row ?? null;
}

export async function insertTeam(em: EntityManager, unitId: number, name: string, kind: TeamKind): Promise<number> {
  const [{ id }] = await em.execute('insert into team (unit_id, name, kind, active, created_at, updated_at) values (?, ?, ?, true, now(), now()) returning id', [
    unitId,
    name,
    kind,
  ]);
  return id;
}

export async function updateTeamRow(em: EntityManager, id: number, name: string, kind: TeamKind): Promise<void> {
  await em.execute('update team set name = ?, kind = ?, updated_at = now() where id = ?', [name, kind, id]);
}

/** Marks the team inactive and cancels its open assignments; returns the ids of the cancelled ones. */
export async function disbandTeamRow(em: EntityManager, id: number): Promise<number[]> {
  await em.execute('update team set active = false, disbanded_at = now(), updated_at = now() where id = ?', [id]);
  const rows: { id: number }[] = await em.execute(
    `update team_assignment set status = 'CANCELLED', updated_at = now() where team_id = ? and status in (${list(OPEN_STATUSES.length)}) returning id`,
    [id, ...OPEN_STATUSES],
  );
  return rows.map((r) => r.id);
}

export interface MemberFields {
  fullName: string;
  organisation: string;
  role: string;
  phone: string | null;
  isLeader: boolean;
  principalId: number | null;
}

/** A team has at most one leader: naming a new one steps the others down. */
async function stepDownOtherLeaders(em: EntityManager, teamId: number, exceptId: number): Promise<void> {
  await em.execute('update team_member set is_leader = false, updated_at = now() where team_id = ? and id <> ? and is_leader', [teamId, exceptId]);
}

export async function insertMember(em: EntityManager, teamId: number, f: MemberFields): Promise<MemberRow> {
  const [{ id }] = await em.execute(
    `insert into team_member (team_id, full_name, organisation, role, phone, is_leader, principal_id, created_at, updated_at)
     values (?, ?, ?, ?, ?, ?, ?, now(), now()) returning id`,
    [teamId, f.fullName, f.organisation, f.role, f.phone, f.isLeader, f.principalId],
  );
  if (f.isLeader) await stepDownOtherLeaders(em, teamId, id);
  return (await membersByIds(em, [id], unscoped('the member just inserted by an allowed write')))[0];
}

export async function updateMemberRow(em: EntityManager, m: MemberRow, f: MemberFields): Promise<MemberRow> {
  await em.execute(
    'update team_member set full_name = ?, organisation = ?, role = ?, phone = ?, is_leader = ?, principal_id = ?, updated_at = now() where id = ?',
    [f.fullName, f.organisation, f.role, f.phone, f.isLeader, f.principalId, m.id],
  );
  if (f.isLeader) await stepDownOtherLeaders(em, m.teamId, m.id);
  return (await membersByIds(em, [m.id], unscoped('the member just updated by an allowed write')))[0];
}

export async function removeMemberRow(em: EntityManager, id: number): Promise<void> {
  await em.execute('update team_member set removed_at = now(), is_leader = false, updated_at = now() where id = ?', [id]);
}

/** How many open assignments a member is responsible for (locked against concurrent assignment). */
export async function openAssignmentsOf(em: EntityManager, memberId: number): Promise<number> {
  const [{ n }] = await em.execute(
    `select count(*)::int as n from team_assignment where responsible_member_id = ? and status in (${list(OPEN_STATUSES.length)})`,
    [memberId, ...OPEN_STATUSES],
  );
  return n;
}

export interface NewAssignments {
  teamId: number;
  campaignId: number;
  hamletIds: number[];
  task: string;
  responsibleMemberId: number;
  startDate: string;
  dueDate: string;
  expectedResults: ExpectedResult[];
}

/** One assignment per hamlet, in one statement; returns them in hamlet order. */
export async function insertAssignments(em: EntityManager, a: NewAssignments): Promise<AssignmentRow[]> {
  const rows: { id: number }[] = await em.execute(
    `insert into team_assignment (team_id, hamlet_id, campaign_id, task, responsible_member_id, start_date, due_date, expected_results, status, created_at, updated_at)
     select ?, v.hamlet_id, ?, ?, ?, ?, ?, ?::jsonb, 'PLANNED', now(), now()
       from (values ${a.hamletIds.map(() => '(?::int, ?::int)').join(',')}) as v(hamlet_id, ord) order by v.ord
     returning id`,
    [a.teamId, a.campaignId, a.task, a.responsibleMemberId, a.startDate, a.dueDate, JSON.stringify(a.expectedResults), ...a.hamletIds.flatMap((h, i) => [h, i])],
  );
  const byId = new Map((await assignmentsByIds(em, rows.map((r) => r.id), unscoped('the assignments just inserted by an allowed write'))).map((r) => [r.id, r]));
  return a.hamletIds.map((h) => [...byId.values()].find((r) => r.hamletId === h)!);
}

export interface AssignmentFields {
  task: string;
  responsibleMemberId: number;
  startDate: string;
  dueDate: string;
  expectedResults: ExpectedResult[];
  status: AssignmentStatus;
  outcomeNote: string | null;
}

export async function updateAssignmentRow(em: EntityManager, id: number, f: AssignmentFields): Promise<AssignmentRow> {
  await em.execute(
    `update team_assignment set task = ?, responsible_member_id = ?, start_date = ?, due_date = ?, expected_results = ?::jsonb,
            status = ?, outcome_note = ?, updated_at = now() where id = ?`,
    [f.task, f.responsibleMemberId, f.startDate, f.dueDate, JSON.stringify(f.expectedResults), f.status, f.outcomeNote, id],
  );
  return (await assignmentsByIds(em, [id], unscoped('the assignment just updated by an allowed write')))[0];
}
