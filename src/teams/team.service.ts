import type { Context } from '../context';
import { ConflictError, NotFoundError, ProblemList } from '../common/errors';
import { localIdOf } from '../common/global-id';
import { allowed, ensureCan, scope } from '../common/scoped';
import { toConnection, toPage } from '../common/pagination';
import { requiredText } from '../common/text';
import { lockedForUpdate, writeTransaction } from '../common/transaction';
import { lockUnitsUnchanged } from '../units/unit-write.repo';
import { audit } from '../audit/audit';
import { unitsByIds } from '../units/unit.repo';
import { unitColumns } from '../units/unit.service';
import { UnitLevel } from '../units/unit-level';
import { findCampaignRow } from '../campaigns/campaign.service';
import * as repo from './team.repo';
import { disbandTeamRow, insertTeam, lockTeam, updateTeamRow } from './team-write.repo';
import { TeamMemberType, TeamType } from './team.types';
import type { CreateTeamInput, DisbandTeamInput, TeamsArgs, UpdateTeamInput } from './team.inputs';

export const teamReadScope = (ctx: Context) => scope(ctx, 'read', 'Team', repo.teamColumns);

/** The rule attributes of a team (ability.ts: Team by `path` and `id`). */
export const teamSubject = (t: { unitPath: string; id: number }) => ({ path: t.unitPath, id: t.id });

/** A member as the caller may see it: the phone number only when ability.ts allows readContact on it. */
export function memberFrom(ctx: Context, row: repo.MemberRow): TeamMemberType {
  return TeamMemberType.from(row, allowed(ctx, 'readContact', 'TeamMember', { path: row.teamPath, teamId: row.teamId }));
}

export async function findTeamRow(ctx: Context, id: number): Promise<repo.TeamRow | null> {
  const [row] = await repo.teamsByIds(ctx.em, [id], teamReadScope(ctx));
  return row ?? null;
}

/** A team named by a global id: invisible or nonexistent → NOT_FOUND (naming the field when given). */
export async function visibleTeam(ctx: Context, globalId: string, field?: string): Promise<repo.TeamRow> {
  const id = localIdOf('Team', globalId);
  const row = id === null ? null : await findTeamRow(ctx, id);
  if (!row) throw new NotFoundError(field ? `Team (${field})` : 'Team', globalId);
  return row;
}

/** Visible → may the caller manage it (FORBIDDEN) → still active (CONFLICT). */
export async function manageableTeam(ctx: Context, globalId: string, field?: string): Promise<repo.TeamRow> {
  const team = await visibleTeam(ctx, globalId, field);
  ensureCan(ctx, 'manage', 'Team', teamSubject(team), 'You may only manage teams inside your own jurisdiction.');
  if (!team.active) throw new ConflictError('The team is disbanded.', { active: false });
  return team;
}

export async function getTeam(ctx: Context, globalId: string): Promise<TeamType> {
  return TeamType.from(await visibleTeam(ctx, globalId));
}

export async function listTeams(ctx: Context, args: TeamsArgs) {
  const page = toPage(args);
  const filter: repo.TeamFilter = { kind: args.kind ?? null, includeDisbanded: args.includeDisbanded ?? false };
  if (args.unitId != null) {
    const id = localIdOf('Unit', args.unitId);
    const [unit] = id === null ? [] : await unitsByIds(ctx.em, [id], scope(ctx, 'read', 'Unit', unitColumns));
    if (!unit) throw new NotFoundError('Unit (unitId)', args.unitId);
    filter.unitPath = unit.path;
  }
  if (args.campaignId != null) {
    const id = localIdOf('Campaign', args.campaignId);
    const campaign = id === null ? null : await findCampaignRow(ctx, id);
    if (!campaign) throw new NotFoundError('Campaign (campaignId)', args.campaignId);
    filter.campaignId = campaign.id;
  }
  const s = teamReadScope(ctx);
  const rows = await repo.listTeams(ctx.em, filter, page, s);
  return toConnection(rows.map(TeamType.from), page, () => repo.countTeams(ctx.em, filter, s));
}

async function reload(ctx: Context, id: number): Promise<TeamType> {
  const [row] = await repo.teamsByIds(ctx.em, [id], teamReadScope(ctx));
  return TeamType.from(row);
}

export async function createTeam(ctx: Context, input: CreateTeamInput): Promise<TeamType> {
  const unitId = localIdOf('Unit', input.unitId);
  const [unit] = unitId === null ? [] : await unitsByIds(ctx.em, [unitId], scope(ctx, 'read', 'Unit', unitColumns));
  if (!unit) throw new NotFoundError('Unit (unitId)', input.unitId);
  ensureCan(ctx, 'manage', 'Team', { path: unit.path }, 'You may only form teams inside your own jurisdiction.');
  const problems = new ProblemList();
  const name = requiredText(problems, ['input', 'name'], input.name);
  if (unit.level !== UnitLevel.COMMUNE && unit.level !== UnitLevel.HAMLET) problems.add(['input', 'unitId'], `A team belongs to a commune or a hamlet, not a ${unit.level}.`);
  if (unit.validTo) problems.add(['input', 'unitId'], 'The unit is retired.');
  problems.throwIfAny();
  const id = await writeTransaction(ctx, async (em) => {
    await lockUnitsUnchanged(em, [unit]);
    const newId = await insertTeam(em, unit.id, name, input.kind);
    await audit(em, ctx, [{ action: 'team.create', objectType: 'Team', objectId: newId, unitPath: unit.path, after: { unitId: unit.id, name, kind: input.kind } }]);
    return newId;
  });
  return reload(ctx, id);
}

export async function updateTeam(ctx: Context, input: UpdateTeamInput): Promise<TeamType> {
  const team = await manageableTeam(ctx, input.id);
  const problems = new ProblemList();
  const newName = input.name != null ? requiredText(problems, ['input', 'name'], input.name) : null;
  problems.throwIfAny();
  await writeTransaction(ctx, async (em) => {
    const before = await lockedForUpdate(em, repo.TEAM_ROWS, team.id, teamReadScope(ctx));
    ensureCan(ctx, 'manage', 'Team', teamSubject(before), 'You may only manage teams inside your own jurisdiction.');
    if (!before.active) throw new ConflictError('The team is disbanded.', { active: false });
    const name = newName ?? before.name;
    const kind = input.kind ?? before.kind;
    await updateTeamRow(em, before.id, name, kind);
    await audit(em, ctx, [{ action: 'team.update', objectType: 'Team', objectId: before.id, unitPath: before.unitPath, before: { name: before.name, kind: before.kind }, after: { name, kind } }]);
  });
  return reload(ctx, team.id);
}

export async function disbandTeam(ctx: Context, input: DisbandTeamInput): Promise<{ team: TeamType; cancelledAssignments: number }> {
  const team = await manageableTeam(ctx, input.id);
  const cancelled = await writeTransaction(ctx, async (em) => {
    const locked = await lockTeam(em, team.id, 'update');
    if (!locked?.active) throw new ConflictError('The team is already disbanded.', { active: false });
    // judged again as it is now: its unit may have moved since it was read
    ensureCan(ctx, 'manage', 'Team', teamSubject(locked), 'You may only manage teams inside your own jurisdiction.');
    const ids = await disbandTeamRow(em, team.id);
    await audit(em, ctx, [{ action: 'team.disband', objectType: 'Team', objectId: team.id, unitPath: locked.unitPath, before: { active: true }, after: { active: false, cancelledAssignmentIds: ids } }]);
    return ids.length;
  });
  return { team: await reload(ctx, team.id), cancelledAssignments: cancelled };
}
