import type { EntityManager } from '@mikro-orm/postgresql';
import { UNIT_COLUMNS, type UnitRow } from './unit.repo';
import { intArray } from './tree-write.repo';

/** Units by code, whatever the caller's jurisdiction (the caller checks it on every row it changes). */
export async function unitsByCodeForChange(em: EntityManager, codes: readonly string[]): Promise<Map<string, UnitRow>> {
  const out = new Map<string, UnitRow>();
  const unique = [...new Set(codes)];
  for (let i = 0; i < unique.length; i += 5000) {
    const part = unique.slice(i, i + 5000);
    const rows: UnitRow[] = await em.execute(`select ${UNIT_COLUMNS} from admin_unit u where u.code in (${part.map(() => '?').join(',')})`, part);
    for (const r of rows) out.set(r.code, r);
  }
  return out;
}

/** Of these districts (or any units), those still active with no active child left. */
export async function emptiedUnits(em: EntityManager, ids: readonly number[]): Promise<number[]> {
  if (ids.length === 0) return [];
  const rows: { id: number }[] = await em.execute(
    `select u.id from admin_unit u where u.id = any(?::int[]) and u.valid_to is null
        and not exists (select 1 from admin_unit c where c.parent_id = u.id and c.valid_to is null) order by u.id`,
    [intArray(ids)],
  );
  return rows.map((r) => r.id);
}

/** Active units above hamlet level whose codes a complete list no longer holds (the list has no hamlets). */
export async function unitsMissingFrom(em: EntityManager, codes: readonly string[]): Promise<UnitRow[]> {
  return em.execute(
    `select ${UNIT_COLUMNS} from admin_unit u
      where u.valid_to is null and u.level <> 'HAMLET' and not (u.code = any(?::text[])) order by u.path`,
    [`{${codes.map((c) => `"${c.replace(/["\\]/g, '')}"`).join(',')}}`],
  );
}
