import { isUnderPath, NATIONAL_PATH } from '../common/paths';
import type { Context } from '../context';
import { BadUserInputError, ConflictError, NotFoundError, ProblemList } from '../common/errors';
import { findTeamRow } from '../teams/team.service';
import { localIdOf } from '../common/global-id';
import { ensureCan, requirePrincipal, scope, unscoped } from '../common/scoped';
import { writeTransaction } from '../common/transaction';
import { lockUnitsUnchanged } from '../units/unit-write.repo';
import { audit } from '../audit/audit';
import { Role } from '../auth/roles';
import * as repo from './principal.repo';
import * as write from './principal-write.repo';
import { GrantNode, PrincipalNode } from './principal.types';
import { lockedTarget, principalSubject, refuseSelf, reload, visiblePrincipal, visibleUnit } from './principal.service';
import type { GrantRoleInput, RevokeRoleInput } from './principal.inputs';

/**
 * Giving a role: the target must be a principal you manage (NOT_FOUND otherwise), never yourself,
 * and the role at that unit must be within your power (ability.ts 'Grant' rules): FORBIDDEN when the
 * unit is visible to you, NOT_FOUND when it is not.
 */
export async function grantRole(ctx: Context, input: GrantRoleInput): Promise<{ grant: GrantNode; principal: PrincipalNode }> {
  const target = await visiblePrincipal(ctx, input.principalId, 'principalId');
  refuseSelf(ctx, target, 'change the grants of');
  ensureCan(ctx, 'grant', 'Principal', principalSubject(target), 'You may not change the grants of this account.');
  const problems = new ProblemList();
  if (input.role === Role.SYSTEM_ADMIN && input.unitId != null) problems.add(['input', 'unitId'], 'SYSTEM_ADMIN is national: omit unitId.');
  if (input.role !== Role.SYSTEM_ADMIN && input.role !== Role.VIEWER && input.unitId == null) problems.add(['input', 'unitId'], `unitId is required for ${input.role}.`);
  if (input.teamId != null && input.role !== Role.TEAM_LEADER) problems.add(['input', 'teamId'], 'teamId is only for TEAM_LEADER grants.');
  if (input.role === Role.TEAM_LEADER && input.teamId == null) problems.add(['input', 'teamId'], 'teamId is required for TEAM_LEADER grants.');
  problems.throwIfAny();
  const unit = input.unitId != null ? await visibleUnit(ctx, input.unitId, 'unitId') : null;
  ensureCan(ctx, 'create', 'Grant', { role: input.role, path: unit?.path ?? NATIONAL_PATH }, `You may not grant ${input.role} there: only roles below your own, inside your jurisdiction.`);
  const teamId = input.teamId != null ? localIdOf('Team', input.teamId) : null;
  if (input.teamId != null && unit) {
    // The team led must be one the giver can see, inside the unit of the grant (the FK alone would answer INTERNAL_SERVER_ERROR).
    const team = teamId === null ? null : await findTeamRow(ctx, teamId);
    if (!team || !isUnderPath(team.unitPath, unit.path)) {
      throw BadUserInputError.field(['input', 'teamId'], 'teamId must name a team you can see inside the unit of the grant.');
    }
  }
  const g = { principalId: target.id, role: input.role, unitId: unit?.id ?? null, teamId };
  // Identical grants given at once: the target's row lock queues them, the second finds the first and answers
  // CONFLICT (the unique index grant_principal_role_unit_team_unique backs this up).
  return writeTransaction(ctx, async (em) => {
    await lockedTarget(ctx, em, target.id, 'grant', 'You may not change the grants of this account.');
    if (unit) await lockUnitsUnchanged(em, [unit]);
    if (await write.grantExists(em, g)) throw new ConflictError('The principal already holds this role there.');
    const id = await write.insertGrant(em, { ...g, grantedById: requirePrincipal(ctx).id });
    const [row] = await repo.grantsOfPrincipals(em, [target.id]).then((rows) => rows.filter((r) => r.id === id));
    await audit(em, ctx, [{ action: 'grant.create', objectType: 'Grant', objectId: id, unitPath: unit?.path ?? null, aboutPrincipal: target.id, after: { principalId: target.id, role: g.role, unitId: g.unitId, teamId: g.teamId } }]);
    return { grant: GrantNode.from(row), principal: await reload(em, target.id) };
  });
}

export async function revokeRole(ctx: Context, input: RevokeRoleInput): Promise<{ revokedGrantId: string; principal: PrincipalNode }> {
  const id = localIdOf('Grant', input.grantId);
  const grant = id === null ? null : await repo.grantById(ctx.em, id, scope(ctx, 'read', 'Principal', repo.principalColumns));
  if (!grant) throw new NotFoundError('Grant', input.grantId);
  const [target] = await repo.principalsByIds(ctx.em, [grant.principalId], scope(ctx, 'read', 'Principal', repo.principalColumns));
  refuseSelf(ctx, target, 'change the grants of');
  ensureCan(ctx, 'grant', 'Principal', principalSubject(target), 'You may not change the grants of this account.');
  ensureCan(ctx, 'delete', 'Grant', { role: grant.role, path: grant.unitPath }, `You may not take away ${grant.role} there.`);
  return writeTransaction(ctx, async (em) => {
    await lockedTarget(ctx, em, target.id, 'grant', 'You may not change the grants of this account.');
    if (!(await repo.grantById(em, grant.id, unscoped('revokeRole: is the grant still there, under the lock on its holder')))) throw new NotFoundError('Grant', input.grantId);
    if (grant.role === Role.SYSTEM_ADMIN) {
      await write.lockSystemAdmins(em);
      if ((await repo.otherActiveSystemAdmins(em, { grantId: grant.id })) === 0) {
        throw new ConflictError('This is the last active SYSTEM_ADMIN grant; it cannot be taken away.');
      }
    }
    await write.deleteGrant(em, grant.id);
    await audit(em, ctx, [
      { action: 'grant.delete', objectType: 'Grant', objectId: grant.id, unitPath: grant.unitPath, aboutPrincipal: grant.principalId, before: { principalId: grant.principalId, role: grant.role, unitId: grant.unitId, teamId: grant.teamId } },
    ]);
    return { revokedGrantId: input.grantId, principal: await reload(em, target.id) };
  });
}
