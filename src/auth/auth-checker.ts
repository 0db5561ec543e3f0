import type { AuthChecker } from 'type-graphql';
import type { Context } from '../context';
import { ForbiddenError, UnauthenticatedError } from '../common/errors';
import type { Action, Permission, Subject } from './permissions';

/** Operations anyone may call without credentials. Everything else needs a principal. */
export const PUBLIC_OPERATIONS = new Set(['login', 'refreshSession']);

/**
 * The coarse gate of @Authorized(can(...)): does any rule give this action on this subject type?
 * Whether the particular object is in jurisdiction is decided by the scoped queries.
 */
export const authChecker: AuthChecker<Context, Permission> = ({ context }, permissions) => {
  if (!context.principal) throw new UnauthenticatedError();
  for (const p of permissions) {
    const [action, subject] = p.split(':') as [Action, Subject];
    if (!context.ability.can(action, subject)) throw new ForbiddenError(`You are not allowed to ${action} ${subject} records.`);
  }
  return true;
};
