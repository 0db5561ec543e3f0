import type { EntityManager } from '@mikro-orm/postgresql';
import type { Scope } from '../common/scoped';
import type { CsvUnit } from './unit-csv';

export interface ExistingUnit {
  id: number;
  code: string;
  name: string;
  kind: string;
  level: string;
  path: string;
  parentCode: string | null;
  /** The caller sees it, at least as a breadcrumb: it or a unit beneath it lies in the `visible` scope. */
  identityVisible: boolean;
}

const CHUNK = 2000;

function chunks<T>(items: T[], size = CHUNK): T[][] {
  const out: T[][] = [];
  for (let i = 0; i < items.length; i += size) out.push(items.slice(i, i + size));
  return out;
}

/** Units by code; `visible` is the caller's read scope over alias `v` (a unit at or beneath each one). */
export async function existingByCodes(em: EntityManager, codes: string[], visible: Scope): Promise<Map<string, ExistingUnit>> {
  const map = new Map<string, ExistingUnit>();
  for (const part of chunks([...new Set(codes)], 5000)) {
    const rows: ExistingUnit[] = await em.execute(
      `select u.id, u.code, u.name, u.kind, u.level, u.path::text as path, p.code as "parentCode",
              exists (select 1 from admin_unit v where v.path <@ u.path and ${visible.sql}) as "identityVisible"
         from admin_unit u left join admin_unit p on p.id = u.parent_id
        where u.code in (${part.map(() => '?').join(',')})`,
      [...visible.bindings, ...part],
    );
    for (const r of rows) map.set(r.code, r);
  }
  return map;
}

/**
 * Inserts new units level by level (a statement does not see rows it inserts itself, so parents
 * must be in before their children are matched to them), then derives paths from the parents'.
 */
export async function insertUnitsBulk(em: EntityManager, units: CsvUnit[], validFrom: string): Promise<void> {
  const levels = [...new Set(units.map((u) => u.level))];
  for (const part of levels.flatMap((level) => chunks(units.filter((u) => u.level === level)))) {
    await em.execute(
      `insert into admin_unit (code, name, kind, level, parent_id, path, valid_from, created_at, updated_at)
       select v.code, v.name, v.kind, v.level, p.id, '0', ?::date, now(), now()
         from (values ${part.map(() => '(?, ?, ?, ?, ?)').join(',')}) as v(code, name, kind, level, parent_code)
         left join admin_unit p on p.code = v.parent_code`,
      [validFrom, ...part.flatMap((u) => [u.code, u.name, u.kind, u.level, u.parentCode])],
    );
  }
  // Paths: provinces first, then each deeper level from its parent (at most four passes).
  for (let depth = 0; depth < 4; depth++) {
    await em.execute(
      `update admin_unit c set path = (coalesce(p.path::text || '.', '') || c.id)::ltree
         from admin_unit c2 left join admin_unit p on p.id = c2.parent_id
        where c.id = c2.id and c.path = '0' and (p.id is null or p.path <> '0')`,
    );
  }
}

export async function updateUnitsBulk(em: EntityManager, changes: { id: number; name: string; kind: string }[]): Promise<void> {
  for (const part of chunks(changes)) {
    await em.execute(
      `update admin_unit u set name = v.name, kind = v.kind, updated_at = now()
         from (values ${part.map(() => '(?::int, ?, ?)').join(',')}) as v(id, name, kind) where u.id = v.id`,
      part.flatMap((c) => [c.id, c.name, c.kind]),
    );
  }
}
