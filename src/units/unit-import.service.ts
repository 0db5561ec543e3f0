import type { EntityManager } from '@mikro-orm/postgresql';
import type { Context } from '../context';
import { BadUserInputError, ProblemList } from '../common/errors';
import { allowed, scope, unscoped } from '../common/scoped';
import { writeTransaction } from '../common/transaction';
import { audit } from '../audit/audit';
import { LEVEL_ORDER, type UnitLevel } from './unit-level';
import { parseUnitsCsv, type CsvUnit } from './unit-csv';
import { existingByCodes, insertUnitsBulk, updateUnitsBulk, type ExistingUnit } from './unit-import.repo';
import { lockTree, moveSubtree } from './unit-write.repo';
import { unitsByIds } from './unit.repo';
import { isUnderPath } from '../common/paths';
import { todayInVietnam } from '../common/scalars';
import type { UnitRow } from './unit.repo';
import { unitsMissingFrom } from './restructure.repo';
import { beginTreeWrite, closeAt } from './tree-write.repo';

export const MAX_IMPORT_BYTES = 20 * 1024 * 1024;
const DEFAULT_VALID_FROM = '2000-01-01';

/** A unit the list puts under another parent than the one it has. */
export interface ImportMove {
  code: string;
  name: string;
  level: UnitLevel;
  fromParentCode: string | null;
  toParentCode: string | null;
  /** First row of the file naming the unit. */
  row: number;
}

export interface ImportResult {
  created: number;
  updated: number;
  unchanged: number;
  dryRun: boolean;
  /** How the file was read: 3 (province → district → commune) or 2 (province → commune; no row names a district). */
  levels: 2 | 3;
  moves: ImportMove[];
  retired: number;
  missing: string[];
}

export interface ImportOptions {
  dryRun: boolean;
  /** A real run that moves units (and their history) must say so; a dry run lists the moves either way. */
  allowMoves: boolean;
  /** The list is complete: retire, from today, what it no longer holds in the caller's jurisdiction. */
  retireMissing?: boolean;
}

/**
 * Upserts the GSO list by code: atomic (all rows or none), idempotent (a re-import changes nothing). Every bad row is
 * reported at once, from the file's shape to the caller's jurisdiction.
 */
export async function importUnitsCsv(ctx: Context, csv: string, opts: ImportOptions): Promise<ImportResult> {
  if (Buffer.byteLength(csv) > MAX_IMPORT_BYTES) throw BadUserInputError.field(['input', 'csv'], `The CSV must be at most ${MAX_IMPORT_BYTES} bytes.`);
  const problems = new ProblemList();
  const { units, levels } = parseUnitsCsv(csv, problems);
  if (units.length === 0) problems.throwIfAny('The CSV has malformed rows; nothing was imported.');
  units.sort((a, b) => LEVEL_ORDER[a.level] - LEVEL_ORDER[b.level]);

  return writeTransaction(ctx, async (em) => {
    await lockTree(em);
    const existing = await existingByCodes(em, units.map((u) => u.code), scope(ctx, 'read', 'Unit', { path: 'v.path', id: 'v.id' }));
    const plan = planImport(ctx, units, existing, problems);
    problems.items.sort((a, b) => (a.row ?? 0) - (b.row ?? 0));
    problems.throwIfAny('Some rows cannot be imported; nothing was imported.');
    const missing = opts.retireMissing ? await missingRoots(ctx, em, units) : [];
    const result: ImportResult = {
      created: plan.create.length, updated: plan.update.length, unchanged: plan.unchanged, dryRun: opts.dryRun, levels, moves: plan.moves,
      retired: 0, missing: missing.map((u) => u.code).sort(),
    };
    if (opts.dryRun) return result;
    if (plan.moves.length > 0 && !opts.allowMoves) throw refusedMoves(plan.moves);
    await applyPlan(em, plan);
    if (missing.length > 0) result.retired = await retireFromToday(em, missing.map((u) => u.id));
    await audit(em, ctx, [{ action: 'unit.import', objectType: 'Unit', unitPath: null, after: result }]);
    return result;
  });
}

/**
 * Units a complete list no longer holds, in the caller's jurisdiction: only the topmost of each missing subtree
 * (retiring it ends its subtree too). Hamlets are never missing: the list has none.
 */
async function missingRoots(ctx: Context, em: EntityManager, units: CsvUnit[]): Promise<UnitRow[]> {
  const rows = (await unitsMissingFrom(em, units.map((u) => u.code))).filter((u) => allowed(ctx, 'retire', 'Unit', { path: u.path }));
  const roots: UnitRow[] = [];
  for (const r of rows) if (!roots.some((root) => isUnderPath(r.path, root.path))) roots.push(r);
  return roots;
}

/** Retires units from today (their last day is yesterday): they and their subtrees stop counting from today. */
async function retireFromToday(em: EntityManager, ids: number[]): Promise<number> {
  await beginTreeWrite(em);
  return closeAt(em, ids, todayInVietnam());
}

function refusedMoves(moves: ImportMove[]): BadUserInputError {
  const problems = moves.map((m) => ({
    path: ['input', 'allowMoves'],
    row: m.row,
    message: `Row ${m.row}: ${m.code} (${m.name}) would move from ${m.fromParentCode ?? 'the top level'} to ${m.toParentCode ?? 'the top level'} with its subtree, from today (figures before today stay where they were).`,
  }));
  return new BadUserInputError(
    `The list moves ${moves.length} existing unit(s) to another parent; nothing was imported. Check them with dryRun, then pass allowMoves: true if they are meant.`,
    problems,
  );
}

interface Plan {
  create: CsvUnit[];
  update: { unit: CsvUnit; current: ExistingUnit }[];
  unchanged: number;
  moves: ImportMove[];
}

/**
 * Only changes need the right to import there: a new unit under its parent, a renamed unit where it is, a moved
 * unit both where it is and where it goes. An unchanged row passes when the caller sees the unit (its own units
 * and their ancestors), so a province ADMIN can import its province's list, province row included. An unchanged
 * unit the caller cannot see is refused like a change, so the answer reveals nothing about it.
 */
function planImport(ctx: Context, units: CsvUnit[], existing: Map<string, ExistingUnit>, problems: ProblemList): Plan {
  const plan: Plan = { create: [], update: [], unchanged: 0, moves: [] };
  const known = new Map<string, { path: string; level: string }>();
  for (const [code, e] of existing) known.set(code, { path: e.path, level: e.level });
  const mayChange = (path: string) => allowed(ctx, 'import', 'Unit', { path });
  const outside = (unit: CsvUnit) =>
    problems.add(['input', 'csv'], `Row ${unit.row}: unit ${unit.code} lies outside the part of the tree you may change.`, unit.row);
  for (const unit of units) {
    const current = existing.get(unit.code);
    const parent = unit.parentCode ? known.get(unit.parentCode) : null;
    const placeUnderParent = parent ? `${parent.path}.0` : '0';
    if (!current) {
      if (!mayChange(placeUnderParent)) outside(unit);
      else {
        plan.create.push(unit);
        known.set(unit.code, { path: placeUnderParent, level: unit.level });
      }
      continue;
    }
    const moved = current.parentCode !== unit.parentCode;
    const changed = moved || current.name !== unit.name || current.kind !== unit.kind;
    if (!changed ? !current.identityVisible : !mayChange(current.path) || (moved && !mayChange(placeUnderParent))) {
      outside(unit);
      continue;
    }
    if (current.level !== unit.level) {
      problems.add(['input', 'csv'], `Row ${unit.row}: code ${unit.code} is a ${current.level} in the database, not a ${unit.level}.`, unit.row);
      continue;
    }
    if (!changed) plan.unchanged++;
    else {
      plan.update.push({ unit, current });
      if (moved) plan.moves.push({ code: unit.code, name: unit.name, level: unit.level, fromParentCode: current.parentCode, toParentCode: unit.parentCode, row: unit.row });
    }
  }
  return plan;
}

/** Writes the plan: bulk inserts, bulk renames, then re-parents units the list moved (rare: one move each). */
async function applyPlan(em: EntityManager, plan: Plan): Promise<void> {
  await insertUnitsBulk(em, plan.create, DEFAULT_VALID_FROM);
  await updateUnitsBulk(em, plan.update.map((u) => ({ id: u.current.id, name: u.unit.name, kind: u.unit.kind })));
  const reparented = plan.update.filter((u) => u.current.parentCode !== u.unit.parentCode && u.unit.parentCode);
  if (reparented.length === 0) return;
  const after = await existingByCodes(em, reparented.flatMap((u) => [u.unit.code, u.unit.parentCode!]), unscoped('import re-parenting: the plan has checked every row'));
  // One move at a time, re-reading paths: an earlier move may have rewritten a later unit's path.
  for (const { unit } of reparented) {
    const [unitId, parentId] = [after.get(unit.code)!.id, after.get(unit.parentCode!)!.id];
    const rows = new Map((await unitsByIds(em, [unitId, parentId], unscoped('units of an import already checked against the import jurisdiction'))).map((r) => [r.id, r]));
    await moveSubtree(em, rows.get(unitId)!, rows.get(parentId)!);
  }
}
