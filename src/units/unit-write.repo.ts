import type { EntityManager } from '@mikro-orm/postgresql';
import { UNIT_COLUMNS, unitsByIds, type UnitRow } from './unit.repo';
import { unscoped } from '../common/scoped';
import { ConflictError } from '../common/errors';
import type { UnitLevel } from './unit-level';
import { todayInVietnam } from '../common/scalars';
import { addDays } from '../common/dates';
import { beginTreeWrite, closeAt, reparentAt } from './tree-write.repo';

/** Writes to admin_unit. Callers have checked jurisdiction on the units involved. */

/**
 * The tree lock: every structural change (create, move, retire, import, merge, split, applyRestructuring) takes it first, in its own transaction,
 * so each one reads the tree as the previous one left it. Report writers do not take it (they lock their units'
 * rows FOR SHARE instead, see progress-write.repo.ts currentPaths).
 */
export async function lockTree(em: EntityManager): Promise<void> {
  await em.execute('select pg_advisory_xact_lock(?::bigint)', [TREE_LOCK_KEY]);
}
/** A fixed advisory-lock key, outside the int4 range of the hashtext() keys the other advisory locks use. */
const TREE_LOCK_KEY = 7_006_001_001;

/** What a write checked of a unit before its transaction. */
export interface CheckedUnit {
  id: number;
  code: string;
  path: string;
  parentId: number | null;
  validTo: string | null;
}

/**
 * Inside a write's transaction: locks the units it checked (FOR SHARE, in id order) until it commits, so a move or
 * retirement of them waits for it, and refuses with CONFLICT when one has moved or retired since the check (the
 * jurisdiction and the rules were checked on the unit as it was).
 */
export async function lockUnitsUnchanged(em: EntityManager, units: readonly CheckedUnit[]): Promise<void> {
  if (units.length === 0) return;
  const ids = [...new Set(units.map((u) => u.id))].sort((a, b) => a - b);
  const rows = await unitsByIds(em, ids, unscoped('re-read under lock of units the write already checked'), 'order by u.id for share of u');
  const now = new Map(rows.map((r) => [r.id, r]));
  for (const u of units) {
    const r = now.get(u.id);
    if (!r || r.path !== u.path || r.parentId !== u.parentId || r.validTo !== u.validTo) {
      throw new ConflictError(`Unit ${u.code} was moved or retired while this change was being made; nothing was changed. Try again.`, { unitId: u.id });
    }
  }
}

export interface NewUnit {
  code: string;
  name: string;
  kind: string;
  level: UnitLevel;
  parent: UnitRow | null;
  eligibleCitizens: number | null;
  validFrom: string;
}

export async function insertUnit(em: EntityManager, u: NewUnit): Promise<UnitRow> {
  const [row] = await em.execute<UnitRow[]>(
    `with n as (select nextval(pg_get_serial_sequence('admin_unit', 'id'))::int as id),
     u as (
       insert into admin_unit (id, code, name, kind, level, parent_id, path, eligible_citizens, valid_from, created_at, updated_at)
       select n.id, ?, ?, ?, ?, ?, (coalesce(?::text || '.', '') || n.id)::ltree, ?, ?, now(), now() from n
       returning *)
     select ${UNIT_COLUMNS} from u`,
    [u.code, u.name, u.kind, u.level, u.parent?.id ?? null, u.parent?.path ?? null, u.eligibleCitizens, u.validFrom],
  );
  return row;
}

/** Hamlets have no national codes: derive `<commune code>-NN` from the next free number. */
export async function nextHamletCode(em: EntityManager, commune: UnitRow): Promise<string> {
  await em.execute('select pg_advisory_xact_lock(hashtext(?))', [`hamlet-code:${commune.id}`]);
  const [{ n }] = await em.execute(
    `select coalesce(max(substring(code from '-(\\d+)$')::int), 0) + 1 as n from admin_unit where parent_id = ? and code like ?`,
    [commune.id, `${commune.code}-%`],
  );
  return `${commune.code}-${String(n).padStart(2, '0')}`;
}

export async function updateUnitRow(
  em: EntityManager,
  id: number,
  changes: { name?: string; kind?: string; eligibleCitizens?: number | null },
): Promise<UnitRow> {
  const sets: string[] = ['updated_at = now()'];
  const bindings: unknown[] = [];
  for (const [key, col] of [['name', 'name'], ['kind', 'kind'], ['eligibleCitizens', 'eligible_citizens']] as const) {
    if (changes[key] !== undefined) {
      sets.push(`${col} = ?`);
      bindings.push(changes[key]);
    }
  }
  const [row] = await em.execute<UnitRow[]>(`with u as (update admin_unit set ${sets.join(', ')} where id = ? returning *) select ${UNIT_COLUMNS} from u`, [
    ...bindings,
    id,
  ]);
  return row;
}

/**
 * Re-parents a unit with its subtree from `day` (default today): its figures up to the day before stay where
 * they were, from `day` on they count under the new parent (tree-write.repo.ts).
 */
export async function moveSubtree(em: EntityManager, unit: UnitRow, newParent: UnitRow, day = todayInVietnam()): Promise<{ row: UnitRow; moved: number }> {
  await beginTreeWrite(em);
  const moved = await reparentAt(em, [{ unitId: unit.id, parentId: newParent.id }], day);
  const [row] = await em.execute<UnitRow[]>(`select ${UNIT_COLUMNS} from admin_unit u where u.id = ?`, [unit.id]);
  return { row, moved };
}

export async function activeChildCount(em: EntityManager, id: number): Promise<number> {
  const [{ n }] = await em.execute('select count(*)::int as n from admin_unit where parent_id = ? and valid_to is null', [id]);
  return n;
}

/** Retires a unit (with cascade: its active subtree) after its last day `validTo`: it stops counting from the next day. */
export async function retireUnits(em: EntityManager, unit: UnitRow, validTo: string, cascade: boolean): Promise<{ row: UnitRow; retired: number }> {
  await beginTreeWrite(em);
  void cascade; // the caller refused a retirement without cascade while active children remain
  const retired = await closeAt(em, [unit.id], addDays(validTo, 1));
  const [row] = await em.execute<UnitRow[]>(`select ${UNIT_COLUMNS} from admin_unit u where u.id = ?`, [unit.id]);
  return { row, retired };
}

