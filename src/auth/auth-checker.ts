import type { AuthChecker } from 'type-graphql';
import { defaultFieldResolver, type GraphQLSchema } from 'graphql';
import type { Context } from '../context';
import { ForbiddenError, RateLimitedError, UnauthenticatedError } from '../common/errors';
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

/** Default-deny for root fields: no credentials, no access (except PUBLIC_OPERATIONS and introspection). */
function requireAuthentication(context: Context, root: string, fieldName: string): void {
  if (!context.principal && !PUBLIC_OPERATIONS.has(fieldName)) throw new UnauthenticatedError();
  if (root === 'Mutation' && fieldName === 'login' && context.config.rateLimits.loginPerAddress > 0) {
    const decision = context.rateLimiter.hit(`login:${context.ip}`, context.config.rateLimits.loginPerAddress);
    if (!decision.allowed) throw new RateLimitedError(decision.retryAfterSeconds);
  }
}

/**
 * Puts the default-deny check in front of every Query and Mutation field. It is not a type-graphql
 * global middleware: those wrap every field of every object in async calls, which made each
 * produced field cost kilobytes and tens of microseconds (a 12,000-point series took 146 MB).
 */
export function guardRootFields(schema: GraphQLSchema): GraphQLSchema {
  for (const root of [schema.getQueryType(), schema.getMutationType()]) {
    if (!root) continue;
    for (const field of Object.values(root.getFields())) {
      const resolve = field.resolve ?? defaultFieldResolver;
      field.resolve = (source, args, context: Context, info) => {
        requireAuthentication(context, root.name, field.name);
        return resolve(source, args, context, info);
      };
    }
  }
  return schema;
}
