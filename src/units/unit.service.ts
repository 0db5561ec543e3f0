import { isUnderPath } from '../common/paths';
import type { Context } from '../context';
import { BadUserInputError, ConflictError, NotFoundError, ProblemList } from '../common/errors';
import { localIdOf } from '../common/global-id';
import { scope, ensureCan } from '../common/scoped';
import { toConnection, toPage } from '../common/pagination';
import { requiredText } from '../common/text';
import { todayInVietnam } from '../common/scalars';
import type { EntityManager } from '@mikro-orm/postgresql';
import { lockedForUpdate, writeTransaction } from '../common/transaction';
import { addDays } from '../common/dates';
import { checkEffectiveDate, refuseEarlierThanRecorded } from './tree-rules';
import { audit } from '../audit/audit';
import { ALLOWED_PARENT_LEVELS, UnitLevel } from './unit-level';
import * as repo from './unit.repo';
import { insertUnit, lockTree, nextHamletCode, moveSubtree, retireUnits, updateUnitRow, activeChildCount } from './unit-write.repo';
import { Unit } from './unit.types';
import type { CreateUnitInput, MoveUnitInput, RetireUnitInput, UnitsArgs, UpdateUnitInput } from './unit.inputs';

const CODE_RE = /^[0-9A-Za-z][0-9A-Za-z_-]{0,39}$/;
export const unitColumns = { path: 'u.path', id: 'u.id' };
const readScope = (ctx: Context) => scope(ctx, 'read', 'Unit', unitColumns);

/** A unit the caller may read, or null (out of jurisdiction and nonexistent look the same). */
export async function findUnitRow(ctx: Context, id: number, em = ctx.em): Promise<repo.UnitRow | null> {
  const [row] = await repo.unitsByIds(em, [id], readScope(ctx));
  return row ?? null;
}

/** A unit by id, as it stood on `asOf` (NOT_FOUND when it did not exist that day), or in the current tree. */
export async function getUnit(ctx: Context, globalId: string, asOf: string | null = null): Promise<Unit> {
  const id = localIdOf('Unit', globalId);
  const row = id === null ? null : (await repo.unitsByIdsOn(ctx.em, [id], readScope(ctx), asOf))[0];
  if (!row) throw new NotFoundError(asOf ? `Unit on ${asOf}` : 'Unit', globalId);
  return Unit.from(row);
}

export async function getUnitByCode(ctx: Context, code: string, asOf: string | null = null): Promise<Unit> {
  const [row] = await repo.unitsByCodes(ctx.em, [code.trim()], readScope(ctx), asOf);
  if (!row) throw new NotFoundError(asOf ? `Unit on ${asOf} with code` : 'Unit with code', code);
  return Unit.from(row);
}

export async function listUnits(ctx: Context, args: UnitsArgs) {
  const page = toPage(args);
  let parentId: number | null = null;
  if (args.parentId != null) {
    parentId = localIdOf('Unit', args.parentId);
    if (parentId === null) throw BadUserInputError.field(['parentId'], 'parentId is not a valid Unit id.');
  }
  if (args.search != null && args.search.length > 200) throw BadUserInputError.field(['search'], 'search must be at most 200 characters.');
  const filter: repo.UnitFilter = {
    level: args.level,
    parentId,
    search: args.search ? args.search.normalize('NFC').trim() : null,
    includeRetired: args.includeRetired ?? false,
    asOf: args.asOf ?? null,
  };
  const s = readScope(ctx);
  const rows = await repo.listUnits(ctx.em, filter, page, s);
  return toConnection(rows.map(Unit.from), page, () => repo.countUnits(ctx.em, filter, s));
}

/** Loads a unit named in a mutation: invisible → NOT_FOUND naming the field. */
export async function visibleUnit(ctx: Context, globalId: string, field: string, em = ctx.em): Promise<repo.UnitRow> {
  const id = localIdOf('Unit', globalId);
  const row = id === null ? null : await findUnitRow(ctx, id, em);
  if (!row) throw new NotFoundError(`Unit (${field})`, globalId);
  return row;
}

/** The unit a mutation changes, locked inside its transaction (see lockedForUpdate). */
async function lockedUnit(ctx: Context, em: EntityManager, globalId: string, field: string): Promise<repo.UnitRow> {
  const id = localIdOf('Unit', globalId);
  if (id === null) throw new NotFoundError(`Unit (${field})`, globalId);
  return lockedForUpdate(em, repo.UNIT_ROWS, id, readScope(ctx));
}

export function checkPlacement(problems: ProblemList, level: UnitLevel, parent: repo.UnitRow | null, path: (string | number)[]): void {
  const allowed = ALLOWED_PARENT_LEVELS[level];
  if (!allowed.includes(parent ? parent.level : null)) {
    const where = parent ? `under a ${parent.level}` : 'at the top level';
    problems.add(path, `A ${level} cannot sit ${where}; allowed parents: ${allowed.map((l) => l ?? 'none').join(', ')}.`);
  }
}

/*
 * Structural changes (create, move, retire) take the tree lock and read the units they depend on inside their
 * transaction, after it: a parent moved or retired a moment ago is seen as it now is.
 */

export async function createUnit(ctx: Context, input: CreateUnitInput): Promise<Unit> {
  const problems = new ProblemList();
  const name = requiredText(problems, ['input', 'name'], input.name);
  const kind = requiredText(problems, ['input', 'kind'], input.kind, 50).toLowerCase();
  if (input.code != null && !CODE_RE.test(input.code.trim())) problems.add(['input', 'code'], 'code must be 1–40 letters, digits, "-" or "_".');
  if (input.code == null && input.level !== UnitLevel.HAMLET) problems.add(['input', 'code'], 'code is required except for hamlets.');
  if (input.eligibleCitizens != null && input.eligibleCitizens < 0) problems.add(['input', 'eligibleCitizens'], 'eligibleCitizens must not be negative.');
  const validFrom = input.validFrom ?? todayInVietnam();
  return writeTransaction(ctx, async (em) => {
    await lockTree(em);
    const parent = input.parentId ? await visibleUnit(ctx, input.parentId, 'parentId', em) : null;
    ensureCan(ctx, 'create', 'Unit', { path: parent ? `${parent.path}.0` : '0' }, 'You may only create units strictly below your own unit.');
    checkPlacement(problems, input.level, parent, ['input', 'level']);
    if (parent?.validTo) problems.add(['input', 'parentId'], 'The parent unit is retired.');
    problems.throwIfAny();
    const code = input.code?.trim() ?? (await nextHamletCode(em, parent!));
    const row = await insertUnit(em, { code, name, kind, level: input.level, parent, eligibleCitizens: input.eligibleCitizens ?? null, validFrom });
    await audit(em, ctx, [{ action: 'unit.create', objectType: 'Unit', objectId: row.id, unitPath: row.path, after: row }]);
    return Unit.from(row);
  });
}

export async function updateUnit(ctx: Context, input: UpdateUnitInput): Promise<Unit> {
  const problems = new ProblemList();
  const changes: { name?: string; kind?: string; eligibleCitizens?: number | null } = {};
  if (input.name != null) changes.name = requiredText(problems, ['input', 'name'], input.name);
  if (input.kind != null) changes.kind = requiredText(problems, ['input', 'kind'], input.kind, 50).toLowerCase();
  if (input.eligibleCitizens !== undefined) {
    if (input.eligibleCitizens !== null && input.eligibleCitizens < 0) problems.add(['input', 'eligibleCitizens'], 'eligibleCitizens must not be negative.');
    changes.eligibleCitizens = input.eligibleCitizens;
  }
  return writeTransaction(ctx, async (em) => {
    const before = await lockedUnit(ctx, em, input.id, 'id');
    ensureCan(ctx, 'update', 'Unit', { path: before.path }, 'You may only edit units strictly below your own unit.');
    problems.throwIfAny();
    const after = await updateUnitRow(em, before.id, changes);
    await audit(em, ctx, [{ action: 'unit.update', objectType: 'Unit', objectId: before.id, unitPath: before.path, before, after }]);
    return Unit.from(after);
  });
}

/**
 * Re-parents a unit with its subtree. Under the tree lock the unit is read as it is now, so two moves of the same
 * unit run one after the other, each from where the previous one left it; a move to the parent the unit already
 * has changes nothing and audits nothing (movedUnits: 0).
 */
export async function moveUnit(ctx: Context, input: MoveUnitInput): Promise<{ unit: Unit; movedUnits: number }> {
  return writeTransaction(ctx, async (em) => {
    await lockTree(em);
    const unit = await lockedUnit(ctx, em, input.id, 'id');
    const newParent = await visibleUnit(ctx, input.newParentId, 'newParentId', em);
    ensureCan(ctx, 'move', 'Unit', { path: unit.path }, 'You may only move units strictly below your own unit.');
    ensureCan(ctx, 'create', 'Unit', { path: `${newParent.path}.0` }, 'You may only move units to places strictly below your own unit.');
    const problems = new ProblemList();
    if (isUnderPath(newParent.path, unit.path)) {
      problems.add(['input', 'newParentId'], 'A unit cannot be moved under itself or its own subtree.');
    }
    checkPlacement(problems, unit.level, newParent, ['input', 'newParentId']);
    if (newParent.validTo) problems.add(['input', 'newParentId'], 'The new parent is retired.');
    const day = checkEffectiveDate(problems, ['input', 'effectiveDate'], input.effectiveDate ?? todayInVietnam(), [unit, newParent]);
    problems.throwIfAny();
    if (unit.parentId === newParent.id) return { unit: Unit.from(unit), movedUnits: 0 };
    await refuseEarlierThanRecorded(em, [unit.id], [newParent.id], day, ['input', 'effectiveDate']);
    const { row, moved } = await moveSubtree(em, unit, newParent, day);
    await audit(em, ctx, [
      { action: 'unit.move', objectType: 'Unit', objectId: unit.id, unitPath: row.path, before: { parentId: unit.parentId, path: unit.path }, after: { parentId: newParent.id, path: row.path, movedUnits: moved } },
    ]);
    return { unit: Unit.from(row), movedUnits: moved };
  });
}

export async function retireUnit(ctx: Context, input: RetireUnitInput): Promise<{ unit: Unit; retiredUnits: number }> {
  return writeTransaction(ctx, async (em) => {
    await lockTree(em);
    const unit = await lockedUnit(ctx, em, input.id, 'id');
    ensureCan(ctx, 'retire', 'Unit', { path: unit.path }, 'You may only retire units strictly below your own unit.');
    const validTo = input.validTo ?? addDays(todayInVietnam(), -1);
    if (unit.validTo) throw new ConflictError(`Unit ${unit.code} was already retired on ${unit.validTo}.`);
    if (validTo < unit.validFrom) throw BadUserInputError.field(['input', 'validTo'], `validTo must not be before the unit's validFrom (${unit.validFrom}).`);
    if (validTo >= todayInVietnam()) throw BadUserInputError.field(['input', 'validTo'], `validTo is the unit's last day and must be before today (${todayInVietnam()}); retirements are never dated in the future.`);
    await refuseEarlierThanRecorded(em, [unit.id], [], addDays(validTo, 1), ['input', 'validTo']);
    const active = await activeChildCount(em, unit.id);
    if (active > 0 && !input.cascade) {
      throw new ConflictError(`Unit ${unit.code} still has ${active} active child unit(s); retire them first or pass cascade: true.`, { activeChildren: active });
    }
    const { row, retired } = await retireUnits(em, unit, validTo, !!input.cascade);
    await audit(em, ctx, [{ action: 'unit.retire', objectType: 'Unit', objectId: unit.id, unitPath: unit.path, before: { validTo: null }, after: { validTo, retiredUnits: retired } }]);
    return { unit: Unit.from(row), retiredUnits: retired };
  });
}
