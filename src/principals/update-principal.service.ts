import type { Context } from '../context';
import { NotFoundError, ProblemList } from '../common/errors';
import { ensureCan, scope } from '../common/scoped';
import { requiredText } from '../common/text';
import { writeTransaction } from '../common/transaction';
import { audit } from '../audit/audit';
import * as repo from './principal.repo';
import { lockPrincipal, updatePrincipalRow, type PrincipalEdits } from './principal-admin.repo';
import type { PrincipalNode } from './principal.types';
import { EMAIL_RE, optionalText, principalSubject, reload, visiblePrincipal, visibleUnit } from './principal.service';
import type { UpdatePrincipalInput } from './principal-admin.inputs';

/**
 * Edits names, contact and home unit of an account you manage. The new home unit must keep the account
 * inside your jurisdiction. The row is locked and re-read in the transaction, so a grant given meanwhile
 * (which could take the account out of your reach) is seen before anything is written.
 */
export async function updatePrincipal(ctx: Context, input: UpdatePrincipalInput): Promise<PrincipalNode> {
  const target = await visiblePrincipal(ctx, input.principalId, 'principalId');
  ensureCan(ctx, 'update', 'Principal', principalSubject(target), 'You may not change this account.');
  const problems = new ProblemList();
  const edits: PrincipalEdits = {
    displayName: input.displayName !== undefined ? requiredText(problems, ['input', 'displayName'], input.displayName ?? '') : target.displayName,
    email: input.email !== undefined ? optionalText(problems, ['input', 'email'], input.email, 200) : target.email,
    phone: input.phone !== undefined ? optionalText(problems, ['input', 'phone'], input.phone, 30) : target.phone,
    description: input.description !== undefined ? optionalText(problems, ['input', 'description'], input.description, 1000) : target.description,
    homeUnitId: target.homeUnitId,
  };
  if (input.email != null && edits.email && !EMAIL_RE.test(edits.email)) problems.add(['input', 'email'], 'email is not an e-mail address.');
  problems.throwIfAny();
  let homePath = target.homePath;
  if (input.homeUnitId != null) {
    const home = await visibleUnit(ctx, input.homeUnitId, 'homeUnitId');
    ensureCan(ctx, 'update', 'Principal', { homePath: home.path, grantPaths: target.grantPaths }, 'The new home unit must keep the account inside your jurisdiction.');
    edits.homeUnitId = home.id;
    homePath = home.path;
  }
  return writeTransaction(ctx, async (em) => {
    if (!(await lockPrincipal(em, target.id))) throw new NotFoundError('Principal (principalId)', input.principalId);
    const [current] = await repo.principalsByIds(em, [target.id], scope(ctx, 'update', 'Principal', repo.principalColumns));
    if (!current) throw new NotFoundError('Principal (principalId)', input.principalId);
    ensureCan(ctx, 'update', 'Principal', { homePath, grantPaths: current.grantPaths }, 'You may not change this account.');
    await updatePrincipalRow(em, target.id, edits);
    const before = { displayName: current.displayName, email: current.email, phone: current.phone, description: current.description, homeUnitId: current.homeUnitId };
    await audit(em, ctx, [{ action: 'principal.update', objectType: 'Principal', objectId: target.id, unitPath: homePath, before, after: edits }]);
    return reload(em, target.id);
  });
}
