import { subject as asSubject } from '@casl/ability';
import type { Context } from '../context';
import { abilityToSql, type ColumnMap, type SqlCondition } from '../auth/ability-to-sql';
import type { Action, Subject } from '../auth/permissions';
import { ForbiddenError, UnauthenticatedError } from './errors';

/*
 * The single choke point for jurisdiction. Reads take `scope(ctx, action, subject, columns)` as a
 * required parameter of every data-access function (*.repo.ts), so a row outside the caller's
 * jurisdiction never leaves the database. Writes check the one object with `ensureCan`.
 */

export function scope(ctx: Context, action: Action, subject: Subject, columns: ColumnMap): SqlCondition {
  return abilityToSql(ctx.ability, action, subject, columns);
}

export function requirePrincipal(ctx: Context) {
  if (!ctx.principal) throw new UnauthenticatedError();
  return ctx.principal;
}

/** In-memory check of one object described by the fields rules look at (`path`, `id`, …). */
export function allowed(ctx: Context, action: Action, subjectType: Subject, attributes: Record<string, unknown>): boolean {
  return ctx.ability.can(action, asSubject(subjectType, { ...attributes }));
}

/** Throws FORBIDDEN unless the caller may do `action` on the object. Use only on objects it can already see. */
export function ensureCan(
  ctx: Context,
  action: Action,
  subjectType: Subject,
  attributes: Record<string, unknown>,
  message?: string,
): void {
  if (!allowed(ctx, action, subjectType, attributes)) {
    ctx.log.debug({ action, subjectType, attributes }, 'refused');
    throw new ForbiddenError(message);
  }
}
