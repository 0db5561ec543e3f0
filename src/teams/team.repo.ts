import type { EntityManager } from '@mikro-orm/postgresql';
import type { Scope } from '../common/scoped';
import type { Page } from '../common/pagination';
import type { LockableRows } from '../common/transaction';
import type { UnitRow } from '../units/unit.repo';
import { UNIT_COLUMNS } from '../units/unit.repo';
import type { AssignmentStatus, TeamKind } from './team-enums';

/**
 * Team reads. Every read takes the caller's Team jurisdiction over aliases `t` (team) and `tu` (its unit):
 * members and assignments are visible exactly when their team is.
 */

export interface TeamRow {
  id: number;
  unitId: number;
  unitPath: string;
  unitLevel: string;
  name: string;
  kind: TeamKind;
  active: boolean;
  disbandedAt: Date | null;
  createdAt: Date;
  updatedAt: Date;
}

export interface MemberRow {
  id: number;
  teamId: number;
  teamPath: string;
  fullName: string;
  organisation: string;
  role: string;
  phone: string | null;
  isLeader: boolean;
  principalId: number | null;
  principalName: string | null;
  removedAt: Date | null;
  createdAt: Date;
}

export interface ExpectedResult {
  metric: string;
  target: number;
}

export interface AssignmentRow {
  id: number;
  teamId: number;
  teamPath: string;
  hamletId: number;
  hamletPath: string;
  campaignId: number;
  task: string;
  responsibleMemberId: number;
  startDate: string;
  dueDate: string;
  expectedResults: ExpectedResult[];
  status: AssignmentStatus;
  outcomeNote: string | null;
  createdAt: Date;
  updatedAt: Date;
}

/** Column map for the jurisdiction condition: a team is judged by its unit's path and its id. */
export const teamColumns = { path: 'tu.path', id: 't.id' };

const list = (n: number) => Array.from({ length: n }, () => '?').join(',');

const TEAM_SELECT = `select t.id, t.unit_id as "unitId", tu.path::text as "unitPath", tu.level as "unitLevel", t.name, t.kind, t.active,
    t.disbanded_at as "disbandedAt", t.created_at as "createdAt", t.updated_at as "updatedAt"
  from team t join admin_unit tu on tu.id = t.unit_id`;

const MEMBER_SELECT = `select m.id, m.team_id as "teamId", tu.path::text as "teamPath", m.full_name as "fullName", m.organisation, m.role,
    m.phone, m.is_leader as "isLeader", m.principal_id as "principalId", pr.display_name as "principalName",
    m.removed_at as "removedAt", m.created_at as "createdAt"
  from team_member m join team t on t.id = m.team_id join admin_unit tu on tu.id = t.unit_id
  left join principal pr on pr.id = m.principal_id`;

const ASSIGNMENT_SELECT = `select a.id, a.team_id as "teamId", tu.path::text as "teamPath", a.hamlet_id as "hamletId", h.path::text as "hamletPath",
    a.campaign_id as "campaignId", a.task, a.responsible_member_id as "responsibleMemberId",
    to_char(a.start_date, 'YYYY-MM-DD') as "startDate", to_char(a.due_date, 'YYYY-MM-DD') as "dueDate",
    a.expected_results as "expectedResults", a.status, a.outcome_note as "outcomeNote", a.created_at as "createdAt", a.updated_at as "updatedAt"
  from team_assignment a join team t on t.id = a.team_id join admin_unit tu on tu.id = t.unit_id join admin_unit h on h.id = a.hamlet_id`;

export async function teamsByIds(em: EntityManager, ids: readonly number[], scope: Scope, lock = ''): Promise<TeamRow[]> {
  if (ids.length === 0) return [];
  return em.execute(`${TEAM_SELECT} where t.id in (${list(ids.length)}) and ${scope.sql} ${lock}`, [...ids, ...scope.bindings]);
}

/** Teams belonging directly to each of many units, in one statement. */
export async function teamsOfUnits(em: EntityManager, unitIds: readonly number[], includeDisbanded: boolean, scope: Scope): Promise<TeamRow[]> {
  if (unitIds.length === 0) return [];
  return em.execute(
    `${TEAM_SELECT} where t.unit_id in (${list(unitIds.length)}) ${includeDisbanded ? '' : 'and t.active'} and ${scope.sql} order by t.name, t.id`,
    [...unitIds, ...scope.bindings],
  );
}

export interface TeamFilter {
  /** Teams of this unit's subtree. */
  unitPath?: string | null;
  /** Teams with a (not cancelled) assignment in this campaign. */
  campaignId?: number | null;
  kind?: TeamKind | null;
  includeDisbanded?: boolean;
}

function filterSql(f: TeamFilter, scope: Scope): { where: string; bindings: unknown[] } {
  const parts = [scope.sql];
  const bindings: unknown[] = [...scope.bindings];
  if (f.unitPath) {
    parts.push('tu.path <@ ?::ltree');
    bindings.push(f.unitPath);
  }
  if (f.campaignId != null) {
    parts.push(`exists (select 1 from team_assignment fa where fa.team_id = t.id and fa.campaign_id = ? and fa.status <> 'CANCELLED')`);
    bindings.push(f.campaignId);
  }
  if (f.kind) {
    parts.push('t.kind = ?');
    bindings.push(f.kind);
  }
  if (!f.includeDisbanded) parts.push('t.active');
  return { where: parts.join(' and '), bindings };
}

export async function listTeams(em: EntityManager, f: TeamFilter, page: Page, scope: Scope): Promise<TeamRow[]> {
  const { where, bindings } = filterSql(f, scope);
  return em.execute(`${TEAM_SELECT} where ${where} order by tu.path, t.name, t.id limit ? offset ?`, [...bindings, page.limit + 1, page.offset]);
}

export async function countTeams(em: EntityManager, f: TeamFilter, scope: Scope): Promise<number> {
  const { where, bindings } = filterSql(f, scope);
  const [row] = await em.execute(`select count(*)::int as n from team t join admin_unit tu on tu.id = t.unit_id where ${where}`, bindings);
  return row.n;
}

/** Members by id (removed ones included: assignments keep naming them). */
export async function membersByIds(em: EntityManager, ids: readonly number[], scope: Scope, lock = ''): Promise<MemberRow[]> {
  if (ids.length === 0) return [];
  return em.execute(`${MEMBER_SELECT} where m.id in (${list(ids.length)}) and ${scope.sql} ${lock}`, [...ids, ...scope.bindings]);
}

/** Current members of many teams, leader first, in one statement. */
export async function membersOfTeams(em: EntityManager, teamIds: readonly number[], scope: Scope): Promise<MemberRow[]> {
  if (teamIds.length === 0) return [];
  return em.execute(
    `${MEMBER_SELECT} where m.team_id in (${list(teamIds.length)}) and m.removed_at is null and ${scope.sql}
      order by m.is_leader desc, m.full_name, m.id`,
    [...teamIds, ...scope.bindings],
  );
}

export async function assignmentsByIds(em: EntityManager, ids: readonly number[], scope: Scope, lock = ''): Promise<AssignmentRow[]> {
  if (ids.length === 0) return [];
  return em.execute(`${ASSIGNMENT_SELECT} where a.id in (${list(ids.length)}) and ${scope.sql} ${lock}`, [...ids, ...scope.bindings]);
}

/** Assignments of many teams (optionally of one campaign), in one statement. */
export async function assignmentsOfTeams(em: EntityManager, teamIds: readonly number[], campaignId: number | null, scope: Scope): Promise<AssignmentRow[]> {
  if (teamIds.length === 0) return [];
  return em.execute(
    `${ASSIGNMENT_SELECT} where a.team_id in (${list(teamIds.length)}) ${campaignId !== null ? 'and a.campaign_id = ?' : ''} and ${scope.sql}
      order by a.start_date, h.code, a.id`,
    [...teamIds, ...(campaignId !== null ? [campaignId] : []), ...scope.bindings],
  );
}

export interface CoverageRow extends UnitRow {
  rootId: number;
  teams: number;
}

/**
 * Active hamlets under each of many units (scoped by the caller's Unit jurisdiction over alias `u`) with the
 * number of active teams working there in one campaign: teams assigned to the hamlet (assignment not cancelled)
 * or belonging to it, counted only among the teams the caller can see (`teamScope` over `t`/`tu`), so the count
 * agrees with the teams lists beside it. One statement.
 */
export async function hamletCoverage(
  em: EntityManager,
  roots: readonly { id: number; path: string }[],
  campaignId: number,
  unitScope: Scope,
  teamScope: Scope,
): Promise<CoverageRow[]> {
  if (roots.length === 0) return [];
  return em.execute(
    `select r.id as "rootId", ${UNIT_COLUMNS}, c.n as teams
       from (values ${roots.map(() => '(?::int, ?::ltree)').join(',')}) as r(id, path)
       join admin_unit u on u.path <@ r.path and u.level = 'HAMLET' and u.valid_to is null and ${unitScope.sql}
       cross join lateral (
         select count(*)::int as n from team t join admin_unit tu on tu.id = t.unit_id
          where t.active and ${teamScope.sql} and (t.unit_id = u.id or t.id in (
            select a.team_id from team_assignment a where a.hamlet_id = u.id and a.campaign_id = ? and a.status <> 'CANCELLED'))) c
      order by r.id, c.n, u.code`,
    [...roots.flatMap((r) => [r.id, r.path]), ...unitScope.bindings, ...teamScope.bindings, campaignId],
  );
}

/** Ids of the given principals that exist and are active (for linking a member to an account). */
export async function activePrincipalIds(em: EntityManager, ids: readonly number[]): Promise<Set<number>> {
  if (ids.length === 0) return new Set();
  const rows: { id: number }[] = await em.execute(`select id from principal where id in (${list(ids.length)}) and status = 'ACTIVE'`, [...ids]);
  return new Set(rows.map((r) => r.id));
}

/** Rows as writes lock them (common/transaction.ts lockedForUpdate). */
export const TEAM_ROWS: LockableRows<TeamRow> = { name: 'Team', alias: 't', byIds: teamsByIds };
export const MEMBER_ROWS: LockableRows<MemberRow> = { name: 'TeamMember', alias: 'm', byIds: membersByIds };
export const ASSIGNMENT_ROWS: LockableRows<AssignmentRow> = { name: 'TeamAssignment', alias: 'a', byIds: assignmentsByIds };
