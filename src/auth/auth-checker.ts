import type { AuthChecker, MiddlewareFn } from 'type-graphql';
import type { Context } from '../context';
import { ForbiddenError, RateLimitedError, UnauthenticatedError } from '../common/errors';
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

/** Default-deny for root fields: no credentials, no access (except PUBLIC_OPERATIONS and introspection). */
export const RequireAuthentication: MiddlewareFn<Context> = ({ context, info }, next) => {
  const root = info.parentType.name;
  if ((root === 'Query' || root === 'Mutation') && !context.principal && !PUBLIC_OPERATIONS.has(info.fieldName)) {
    throw new UnauthenticatedError();
  }
  if (root === 'Mutation' && info.fieldName === 'login' && context.config.rateLimits.loginPerAddress > 0) {
    const decision = context.rateLimiter.hit(`login:${context.ip}`, context.config.rateLimits.loginPerAddress);
    if (!decision.allowed) throw new RateLimitedError(decision.retryAfterSeconds);
  }
  return next();
};
