import type { AuthChecker } from 'type-graphql';
import type { Context } from '../context';
import { ForbiddenError, UnauthenticatedError } from '../common/errors';
import type { Action, ObjectPermission, Permission, Subject } from './permissions';

/** Operations anyone may call without credentials. Everything else needs a principal. */
export const PUBLIC_OPERATIONS = new Set(['login', 'refreshSession']);

/**
 * The coarse gate of @Authorized(can(...)): does any rule give this action on this subject type?
 * Whether the particular object is in jurisdiction is decided by the scoped queries. Operations on a named
 * object (@Authorized(canOnObject(...))) only need a principal here: their service answers NOT_FOUND or
 * FORBIDDEN after the scoped lookup (permissions.ts, ObjectPermission).
 */
export const authChecker: AuthChecker<Context, Permission | ObjectPermission> = ({ context }, permissions) => {
  if (!context.principal) throw new UnauthenticatedError();
  for (const p of permissions) {
    if (p.endsWith('@object')) continue;
    const [action, subject] = p.split(':') as [Action, Subject];
    if (!context.ability.can(action, subject)) throw new ForbiddenError(`You are not allowed to ${action} ${subject} records.`);
  }
  return true;
};
