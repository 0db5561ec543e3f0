import { subject as asSubject } from '@casl/ability';
import type { Context } from '../context';
import { abilityToSql, SQL_TRUE, type ColumnMap, type SqlCondition } from '../auth/ability-to-sql';
import type { Action, Subject } from '../auth/permissions';
import { ForbiddenError, UnauthenticatedError } from './errors';

/*
 * The single choke point for jurisdiction. Reads take a `Scope` as a required parameter of every
 * data-access function (*.repo.ts), so a row outside the caller's jurisdiction never leaves the
 * database. Writes check the one object with `ensureCan`.
 */

declare const jurisdiction: unique symbol;

/**
 * A jurisdiction condition in SQL. Only `scope()` (the caller's ability) and `unscoped(reason)` (a named,
 * reviewed exception: test/auth/unscoped-sites.test.ts lists every one) make one, so a repository cannot be
 * handed a hand-written `true` by accident.
 */
export type Scope = SqlCondition & { readonly [jurisdiction]: true };

const brand = (c: SqlCondition): Scope => c as Scope;

export function scope(ctx: Context, action: Action, subject: Subject, columns: ColumnMap): Scope {
  return brand(abilityToSql(ctx.ability, action, subject, columns));
}

/**
 * No jurisdiction condition, for a read that is not the caller's (a reload after the caller was allowed to act,
 * a lock inside a write, a sign-in lookup). `reason` must be a string literal saying why: it is snapshotted.
 */
export function unscoped(reason: string): Scope {
  void reason;
  return brand(SQL_TRUE);
}

/** Both conditions (e.g. Progress and Quota read over the same unit). */
export function allOf(...conds: Scope[]): Scope {
  return brand({ sql: conds.map((c) => `(${c.sql})`).join(' and '), bindings: conds.flatMap((c) => c.bindings) });
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
