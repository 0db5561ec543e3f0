import type { Context } from '../context';
import { ConflictError, NotFoundError, ProblemList } from '../common/errors';
import { localIdOf } from '../common/global-id';
import { ensureCan, requirePrincipal } from '../common/scoped';
import { findPrincipalRow, reloadRow } from '../principals/principal.service';
import { cleanText, requiredText } from '../common/text';
import type { EntityManager } from '@mikro-orm/postgresql';
import { lockedForUpdate, writeTransaction } from '../common/transaction';
import { audit } from '../audit/audit';
import * as repo from './team.repo';
import { insertMember, lockTeam, openAssignmentsOf, removeMemberRow, updateMemberRow, type MemberFields } from './team-write.repo';
import { findTeamRow, memberFrom, teamReadScope, visibleTeam } from './team.service';
import { TeamType } from './team.types';
import type { AddTeamMemberInput, RemoveTeamMemberInput, UpdateTeamMemberInput } from './team.inputs';

/** Members are edited by OFFICER and above in scope and by the team's own leader (ability.ts 'edit' on TeamMember). */
function ensureCanEdit(ctx: Context, team: repo.TeamRow): void {
  ensureCan(ctx, 'edit', 'TeamMember', { path: team.unitPath, teamId: team.id }, "You may only edit the members of your own team or of teams in your jurisdiction.");
  if (!team.active) throw new ConflictError('The team is disbanded.', { active: false });
}

/** A member's phone is stored as typed (digits, spaces, +, -, dots, parentheses); at most 20 characters. */
function checkPhone(problems: ProblemList, value: string | null): string | null {
  if (value == null) return null;
  const phone = cleanText(value);
  if (!phone) return null;
  if (!/^\+?[0-9 .()-]{3,20}$/.test(phone)) problems.add(['input', 'phone'], 'phone must be 3–20 digits, spaces or + - . ( ).');
  return phone;
}

/**
 * The account to link: one the caller may read (principals rules), or the caller itself. Any other answers like
 * a missing one (NOT_FOUND), so linking cannot be used to learn who exists or is active; a readable but disabled
 * account is a bad input.
 */
async function checkPrincipal(ctx: Context, problems: ProblemList, globalId: string | null | undefined): Promise<number | null> {
  if (globalId == null) return null;
  const id = localIdOf('Principal', globalId);
  const row = id === null ? null : id === requirePrincipal(ctx).id ? await reloadRow(ctx.em, id) : await findPrincipalRow(ctx, id);
  if (!row) throw new NotFoundError('Principal (principalId)', globalId);
  if (row.status !== 'ACTIVE') problems.add(['input', 'principalId'], 'principalId names a disabled account.');
  return row.id;
}

function optionalText(problems: ProblemList, path: string[], value: string | null | undefined, fallback: string): string {
  if (value == null) return fallback;
  const text = cleanText(value);
  if (text.length > 200) problems.add(path, `${path[path.length - 1]} must be at most 200 characters.`);
  return text;
}

async function payload(ctx: Context, member: repo.MemberRow, teamId: number) {
  const team = await findTeamRow(ctx, teamId);
  return { member: memberFrom(ctx, member), team: TeamType.from(team!) };
}

export async function addTeamMember(ctx: Context, input: AddTeamMemberInput) {
  const team = await visibleTeam(ctx, input.teamId, 'teamId');
  ensureCanEdit(ctx, team);
  const problems = new ProblemList();
  const fields: MemberFields = {
    fullName: requiredText(problems, ['input', 'fullName'], input.fullName),
    organisation: optionalText(problems, ['input', 'organisation'], input.organisation, ''),
    role: optionalText(problems, ['input', 'role'], input.role, ''),
    phone: checkPhone(problems, input.phone ?? null),
    isLeader: input.isLeader ?? false,
    principalId: await checkPrincipal(ctx, problems, input.principalId),
  };
  problems.throwIfAny();
  const row = await writeTransaction(ctx, async (em) => {
    const locked = await lockTeam(em, team.id, 'update');
    if (!locked?.active) throw new ConflictError('The team is disbanded.', { active: false });
    const m = await insertMember(em, team.id, fields);
    await audit(em, ctx, [{ action: 'team.member.add', objectType: 'TeamMember', objectId: m.id, unitPath: team.unitPath, after: { teamId: team.id, ...fields } }]);
    return m;
  });
  return payload(ctx, row, team.id);
}

/** A member named by a global id, through its team's visibility (NOT_FOUND otherwise), editable by the caller. */
async function editableMember(ctx: Context, globalId: string): Promise<{ member: repo.MemberRow; team: repo.TeamRow }> {
  const id = localIdOf('TeamMember', globalId);
  const [member] = id === null ? [] : await repo.membersByIds(ctx.em, [id], teamReadScope(ctx));
  if (!member || member.removedAt) throw new NotFoundError('Team member', globalId);
  const team = (await findTeamRow(ctx, member.teamId))!;
  ensureCanEdit(ctx, team);
  return { member, team };
}

/** The member a write changes, re-read in its transaction under the team's lock (member writes all take it) and its own. */
async function lockedMember(ctx: Context, em: EntityManager, team: repo.TeamRow, memberId: number): Promise<repo.MemberRow> {
  const locked = await lockTeam(em, team.id, 'update');
  if (!locked?.active) throw new ConflictError('The team is disbanded.', { active: false });
  const member = await lockedForUpdate(em, repo.MEMBER_ROWS, memberId, teamReadScope(ctx));
  if (member.removedAt) throw new ConflictError(`${member.fullName} has just been removed from the team.`);
  return member;
}

export async function updateTeamMember(ctx: Context, input: UpdateTeamMemberInput) {
  const { member: visible, team } = await editableMember(ctx, input.id);
  const problems = new ProblemList();
  // What the input gives, checked now; what it leaves out is taken from the locked row below.
  const given: Partial<MemberFields> = {
    ...(input.fullName != null && { fullName: requiredText(problems, ['input', 'fullName'], input.fullName) }),
    ...(input.organisation != null && { organisation: optionalText(problems, ['input', 'organisation'], input.organisation, '') }),
    ...(input.role != null && { role: optionalText(problems, ['input', 'role'], input.role, '') }),
    ...(input.phone !== undefined && { phone: checkPhone(problems, input.phone) }),
    ...(input.isLeader != null && { isLeader: input.isLeader }),
    ...(input.principalId !== undefined && { principalId: await checkPrincipal(ctx, problems, input.principalId) }),
  };
  problems.throwIfAny();
  const row = await writeTransaction(ctx, async (em) => {
    const member = await lockedMember(ctx, em, team, visible.id);
    const current: MemberFields = { fullName: member.fullName, organisation: member.organisation, role: member.role, phone: member.phone, isLeader: member.isLeader, principalId: member.principalId };
    const fields: MemberFields = { ...current, ...given };
    const after = await updateMemberRow(em, member, fields);
    const { teamPath: _p, principalName: _n, ...before } = member;
    await audit(em, ctx, [{ action: 'team.member.update', objectType: 'TeamMember', objectId: member.id, unitPath: team.unitPath, before, after: fields }]);
    return after;
  });
  return payload(ctx, row, team.id);
}

export async function removeTeamMember(ctx: Context, input: RemoveTeamMemberInput) {
  const { member: visible, team } = await editableMember(ctx, input.id);
  const row = await writeTransaction(ctx, async (em) => {
    const member = await lockedMember(ctx, em, team, visible.id);
    const open = await openAssignmentsOf(em, member.id);
    if (open > 0) {
      throw new ConflictError(`${member.fullName} is responsible for ${open} open assignment(s); hand them to another member first.`, { openAssignments: open });
    }
    await removeMemberRow(em, member.id);
    await audit(em, ctx, [{ action: 'team.member.remove', objectType: 'TeamMember', objectId: member.id, unitPath: team.unitPath, before: { teamId: team.id, fullName: member.fullName, isLeader: member.isLeader } }]);
    return (await repo.membersByIds(em, [member.id], teamReadScope(ctx)))[0];
  });
  return payload(ctx, row, team.id);
}
