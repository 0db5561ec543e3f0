import type { EntityManager } from '@mikro-orm/postgresql';
import type { Context } from '../context';
import { BadUserInputError, ProblemList } from '../common/errors';
import { allowed, unscoped } from '../common/scoped';
import { writeTransaction } from '../common/transaction';
import { audit } from '../audit/audit';
import { LEVEL_ORDER } from './unit-level';
import { parseUnitsCsv, type CsvUnit } from './unit-csv';
import { existingByCodes, insertUnitsBulk, lockUnitImports, updateUnitsBulk, type ExistingUnit } from './unit-import.repo';
import { moveSubtree } from './unit-write.repo';
import { unitsByIds } from './unit.repo';

export const MAX_IMPORT_BYTES = 20 * 1024 * 1024;
const DEFAULT_VALID_FROM = '2000-01-01';

export interface ImportResult {
  created: number;
  updated: number;
  unchanged: number;
  dryRun: boolean;
}

/** Upserts the GSO list by code: atomic (all rows or none), idempotent (a re-import changes nothing). */
export async function importUnitsCsv(ctx: Context, csv: string, dryRun: boolean): Promise<ImportResult> {
  if (Buffer.byteLength(csv) > MAX_IMPORT_BYTES) throw BadUserInputError.field(['input', 'csv'], `The CSV must be at most ${MAX_IMPORT_BYTES} bytes.`);
  const problems = new ProblemList();
  const units = parseUnitsCsv(csv, problems);
  problems.throwIfAny('The CSV has malformed rows; nothing was imported.');
  units.sort((a, b) => LEVEL_ORDER[a.level] - LEVEL_ORDER[b.level]);

  return writeTransaction(ctx, async (em) => {
    await lockUnitImports(em);
    const existing = await existingByCodes(em, units.map((u) => u.code));
    const plan = planImport(ctx, units, existing, problems);
    problems.throwIfAny('Some rows cannot be imported; nothing was imported.');
    const result = { created: plan.create.length, updated: plan.update.length, unchanged: plan.unchanged, dryRun };
    if (dryRun) return result;
    await applyPlan(em, plan);
    await audit(em, ctx, [{ action: 'unit.import', objectType: 'Unit', unitPath: null, after: result }]);
    return result;
  });
}

interface Plan {
  create: CsvUnit[];
  update: { unit: CsvUnit; current: ExistingUnit }[];
  unchanged: number;
}

function planImport(ctx: Context, units: CsvUnit[], existing: Map<string, ExistingUnit>, problems: ProblemList): Plan {
  const plan: Plan = { create: [], update: [], unchanged: 0 };
  const known = new Map<string, { path: string; level: string }>();
  for (const [code, e] of existing) known.set(code, { path: e.path, level: e.level });
  for (const unit of units) {
    const current = existing.get(unit.code);
    const parent = unit.parentCode ? known.get(unit.parentCode) : null;
    const prospectivePath = current?.path ?? (parent ? `${parent.path}.0` : '0');
    if (!allowed(ctx, 'import', 'Unit', { path: prospectivePath })) {
      problems.add(['input', 'csv'], `Row ${unit.row}: unit ${unit.code} lies outside the part of the tree you may change.`, unit.row);
      continue;
    }
    if (current && current.level !== unit.level) {
      problems.add(['input', 'csv'], `Row ${unit.row}: code ${unit.code} is a ${current.level} in the database, not a ${unit.level}.`, unit.row);
      continue;
    }
    if (!current) {
      plan.create.push(unit);
      known.set(unit.code, { path: `${parent?.path ?? '0'}.0`, level: unit.level });
    } else if (current.name !== unit.name || current.kind !== unit.kind || current.parentCode !== unit.parentCode) {
      plan.update.push({ unit, current });
    } else {
      plan.unchanged++;
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
  const after = await existingByCodes(em, reparented.flatMap((u) => [u.unit.code, u.unit.parentCode!]));
  // One move at a time, re-reading paths: an earlier move may have rewritten a later unit's path.
  for (const { unit } of reparented) {
    const [unitId, parentId] = [after.get(unit.code)!.id, after.get(unit.parentCode!)!.id];
    const rows = new Map((await unitsByIds(em, [unitId, parentId], unscoped('units of an import already checked against the import jurisdiction'))).map((r) => [r.id, r]));
    await moveSubtree(em, rows.get(unitId)!, rows.get(parentId)!);
  }
}
