import type { EntityManager } from '@mikro-orm/postgresql';
import type { Scope } from '../common/scoped';
import type { Page } from '../common/pagination';
import { UnitLevel } from './unit-level';

/** A unit row as reads return it. `path` is the ltree of ids from the root. */
export interface UnitRow {
  id: number;
  code: string;
  name: string;
  kind: string;
  level: UnitLevel;
  parentId: number | null;
  path: string;
  eligibleCitizens: number | null;
  validFrom: string;
  validTo: string | null;
}

export const UNIT_COLUMNS = `u.id, u.code, u.name, u.kind, u.level, u.parent_id as "parentId", u.path::text as path,
  u.eligible_citizens as "eligibleCitizens", to_char(u.valid_from, 'YYYY-MM-DD') as "validFrom",
  to_char(u.valid_to, 'YYYY-MM-DD') as "validTo"`;

/** Every read below takes the caller's jurisdiction as a SQL condition over alias `u`. */
export async function unitsByIds(em: EntityManager, ids: readonly number[], scope: Scope): Promise<UnitRow[]> {
  if (ids.length === 0) return [];
  return em.execute(`select ${UNIT_COLUMNS} from admin_unit u where u.id in (${ids.map(() => '?').join(',')}) and ${scope.sql}`, [
    ...ids,
    ...scope.bindings,
  ]);
}

export async function unitsByCodes(em: EntityManager, codes: readonly string[], scope: Scope): Promise<UnitRow[]> {
  if (codes.length === 0) return [];
  return em.execute(
    `select ${UNIT_COLUMNS} from admin_unit u where u.code in (${codes.map(() => '?').join(',')}) and ${scope.sql}`,
    [...codes, ...scope.bindings],
  );
}

/** Identity only (code, name, level, kind): used for ancestors and parents, which are visible as breadcrumbs. */
export async function unitIdentitiesByIds(em: EntityManager, ids: readonly number[]): Promise<UnitRow[]> {
  if (ids.length === 0) return [];
  return em.execute(`select ${UNIT_COLUMNS} from admin_unit u where u.id in (${ids.map(() => '?').join(',')})`, [...ids]);
}

export interface UnitFilter {
  level?: UnitLevel | null;
  parentId?: number | null;
  /** Already NFC-normalised search text; matched accent- and case-insensitively. */
  search?: string | null;
  includeRetired?: boolean;
}

function filterSql(f: UnitFilter, scope: Scope): { where: string; bindings: unknown[] } {
  const parts: string[] = [scope.sql];
  const bindings: unknown[] = [...scope.bindings];
  if (f.level) {
    parts.push('u.level = ?');
    bindings.push(f.level);
  }
  if (f.parentId != null) {
    parts.push('u.parent_id = ?');
    bindings.push(f.parentId);
  }
  if (f.search) {
    parts.push(`f_unaccent(lower(u.name)) like '%' || f_unaccent(lower(?)) || '%'`);
    bindings.push(f.search.replace(/[\\%_]/g, (c) => `\\${c}`));
  }
  if (!f.includeRetired) parts.push('u.valid_to is null');
  return { where: parts.join(' and '), bindings };
}

export async function listUnits(em: EntityManager, f: UnitFilter, page: Page, scope: Scope): Promise<UnitRow[]> {
  const { where, bindings } = filterSql(f, scope);
  return em.execute(`select ${UNIT_COLUMNS} from admin_unit u where ${where} order by u.code limit ? offset ?`, [
    ...bindings,
    page.limit + 1,
    page.offset,
  ]);
}

export async function countUnits(em: EntityManager, f: UnitFilter, scope: Scope): Promise<number> {
  const { where, bindings } = filterSql(f, scope);
  const [row] = await em.execute(`select count(*)::int as n from admin_unit u where ${where}`, bindings);
  return row.n;
}

/** One page of children for each of many parents, in one statement (a window per parent). */
export async function childrenPages(
  em: EntityManager,
  parentIds: readonly number[],
  level: UnitLevel | null,
  page: Page,
  includeRetired: boolean,
  scope: Scope,
): Promise<UnitRow[]> {
  if (parentIds.length === 0) return [];
  return em.execute(
    `select * from (
       select ${UNIT_COLUMNS}, row_number() over (partition by u.parent_id order by u.code) as rn
         from admin_unit u
        where u.parent_id in (${parentIds.map(() => '?').join(',')})
          ${level ? 'and u.level = ?' : ''} ${includeRetired ? '' : 'and u.valid_to is null'} and ${scope.sql}
     ) x where rn > ? and rn <= ? order by "parentId", rn`,
    [...parentIds, ...(level ? [level] : []), ...scope.bindings, page.offset, page.offset + page.limit + 1],
  );
}

export async function childCounts(
  em: EntityManager,
  parentIds: readonly number[],
  level: UnitLevel | null,
  includeRetired: boolean,
  scope: Scope,
): Promise<Map<number, number>> {
  const rows: { parentId: number; n: number }[] = await em.execute(
    `select u.parent_id as "parentId", count(*)::int as n from admin_unit u
      where u.parent_id in (${parentIds.map(() => '?').join(',')})
        ${level ? 'and u.level = ?' : ''} ${includeRetired ? '' : 'and u.valid_to is null'} and ${scope.sql}
      group by u.parent_id`,
    [...parentIds, ...(level ? [level] : []), ...scope.bindings],
  );
  return new Map(rows.map((r) => [r.parentId, r.n]));
}

/** Active descendants (optionally of one level) under each unit, in one statement. */
export async function descendantCounts(
  em: EntityManager,
  units: readonly { id: number; path: string }[],
  level: UnitLevel | null,
  scope: Scope,
): Promise<Map<number, number>> {
  const rows: { id: number; n: number }[] = await em.execute(
    `select r.id, count(u.id)::int as n
       from (values ${units.map(() => '(?::int, ?::ltree)').join(',')}) as r(id, path)
       join admin_unit u on u.path <@ r.path and u.path <> r.path and u.valid_to is null
            ${level ? 'and u.level = ?' : ''} and ${scope.sql}
      group by r.id`,
    [...units.flatMap((u) => [u.id, u.path]), ...(level ? [level] : []), ...scope.bindings],
  );
  return new Map(rows.map((r) => [r.id, r.n]));
}
