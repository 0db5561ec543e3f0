import type { EntityManager } from '@mikro-orm/postgresql';
import { pgArray, readRows } from '../db/prepared';
import type { Scope } from '../common/scoped';
import type { Page } from '../common/pagination';
import type { LockableRows } from '../common/transaction';
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
  /** Dated reads only: the day read, and the unit's parent and ancestry (ltree) in force that day. */
  asOf?: string;
  treeParentId?: number | null;
  treePath?: string | null;
}

export const UNIT_COLUMNS = `u.id, u.code, u.name, u.kind, u.level, u.parent_id as "parentId", u.path::text as path,
  u.eligible_citizens as "eligibleCitizens", to_char(u.valid_from, 'YYYY-MM-DD') as "validFrom",
  to_char(u.valid_to, 'YYYY-MM-DD') as "validTo"`;

/*
 * Dated reads (a day given): the unit as it stood that day — its name then (unit_name_history), its parent and
 * ancestry then (unit_membership, alias tm), and only units that existed that day. Jurisdiction stays on the
 * current path `u.path`. Without a day, reads see the current tree.
 */
const IN_FORCE = (alias: string) => `${alias}.valid_from <= ?::date and (${alias}.valid_to is null or ${alias}.valid_to > ?::date)`;
export const EXISTS_ON = `u.valid_from <= ?::date and (u.valid_to is null or u.valid_to >= ?::date)`;
const DATED_COLUMNS = `u.id, u.code, coalesce(nh.name, u.name) as name, coalesce(nh.kind, u.kind) as kind, u.level, u.parent_id as "parentId",
  u.path::text as path, u.eligible_citizens as "eligibleCitizens", to_char(u.valid_from, 'YYYY-MM-DD') as "validFrom",
  to_char(u.valid_to, 'YYYY-MM-DD') as "validTo", to_char(?::date, 'YYYY-MM-DD') as "asOf", tm.parent_id as "treeParentId", tm.path::text as "treePath"`;
const NAME_ON = `left join lateral (select h.name, h.kind from unit_name_history h where h.unit_id = u.id and ${IN_FORCE('h')} limit 1) nh on true`;
/** admin_unit u with its interval in force on the day (tm, null when outside the tree that day) and its name then. */
const DATED_FROM = `admin_unit u
  left join lateral (select m.parent_id, m.path from unit_membership m where m.unit_id = u.id and ${IN_FORCE('m')} order by m.valid_from desc limit 1) tm on true
  ${NAME_ON}`;
/** The select list and FROM of a dated read, with their bindings (the day, in order). */
const datedSelect = (day: string) => ({ sql: `select ${DATED_COLUMNS} from ${DATED_FROM}`, bindings: [day, day, day, day, day] });

/** Every read below takes the caller's jurisdiction as a SQL condition over alias `u`. A unit as it stood on a day (see dated reads above), or null (the current tree) through unitsByIds. */
export async function unitsByIdsOn(em: EntityManager, ids: readonly number[], scope: Scope, day: string | null): Promise<UnitRow[]> {
  if (!day) return unitsByIds(em, ids, scope);
  if (ids.length === 0) return [];
  const d = datedSelect(day);
  return em.execute(`${d.sql} where u.id in (${ids.map(() => '?').join(',')}) and ${EXISTS_ON} and ${scope.sql}`, [...d.bindings, ...ids, day, day, ...scope.bindings]);
}

export async function unitsByIds(em: EntityManager, ids: readonly number[], scope: Scope, lock = ''): Promise<UnitRow[]> {
  if (ids.length === 0) return [];
  // Every report's first statement: prepared by shape outside a transaction (readRows); locks are only taken inside one.
  return readRows(em, `select ${UNIT_COLUMNS} from admin_unit u where u.id = any(?::int[]) and ${scope.sql} ${lock}`, [pgArray(ids), ...scope.bindings]);
}

/** Units as writes lock them (common/transaction.ts lockedForUpdate). */
export const UNIT_ROWS: LockableRows<UnitRow> = { name: 'Unit', alias: 'u', byIds: unitsByIds };

export async function unitsByCodes(em: EntityManager, codes: readonly string[], scope: Scope, day: string | null = null): Promise<UnitRow[]> {
  if (codes.length === 0) return [];
  if (day) {
    const d = datedSelect(day);
    return em.execute(`${d.sql} where u.code in (${codes.map(() => '?').join(',')}) and ${EXISTS_ON} and ${scope.sql}`, [...d.bindings, ...codes, day, day, ...scope.bindings]);
  }
  return readRows(em, `select ${UNIT_COLUMNS} from admin_unit u where u.code = any(?::text[]) and ${scope.sql}`, [pgArray(codes), ...scope.bindings]);
}

/** Identity only (code, name, level, kind): used for ancestors and parents, which are visible as breadcrumbs. */
export async function unitIdentitiesByIds(em: EntityManager, ids: readonly number[], day: string | null = null): Promise<UnitRow[]> {
  if (ids.length === 0) return [];
  if (day) {
    const d = datedSelect(day);
    return em.execute(`${d.sql} where u.id in (${ids.map(() => '?').join(',')})`, [...d.bindings, ...ids]);
  }
  return em.execute(`select ${UNIT_COLUMNS} from admin_unit u where u.id in (${ids.map(() => '?').join(',')})`, [...ids]);
}

export interface UnitFilter {
  level?: UnitLevel | null;
  parentId?: number | null;
  /** Already NFC-normalised search text; matched accent- and case-insensitively. */
  search?: string | null;
  includeRetired?: boolean;
  /** Read the tree in force on this day (null: the current tree). */
  asOf?: string | null;
}

function filterSql(f: UnitFilter, scope: Scope): { where: string; bindings: unknown[] } {
  const parts: string[] = [scope.sql];
  const bindings: unknown[] = [...scope.bindings];
  if (f.level) {
    parts.push('u.level = ?');
    bindings.push(f.level);
  }
  if (f.parentId != null) {
    parts.push(f.asOf ? 'tm.parent_id = ?' : 'u.parent_id = ?');
    bindings.push(f.parentId);
  }
  if (f.search) {
    parts.push(`f_unaccent(lower(${f.asOf ? 'coalesce(nh.name, u.name)' : 'u.name'})) like '%' || f_unaccent(lower(?)) || '%'`);
    bindings.push(f.search.replace(/[\\%_]/g, (c) => `\\${c}`));
  }
  if (f.asOf) {
    // In the tree that day; without includeRetired, also in existence that day (not a retired predecessor still attached).
    parts.push(f.includeRetired ? 'tm.path is not null' : `tm.path is not null and ${EXISTS_ON}`);
    if (!f.includeRetired) bindings.push(f.asOf, f.asOf);
  } else if (!f.includeRetired) parts.push('u.valid_to is null');
  return { where: parts.join(' and '), bindings };
}

export async function listUnits(em: EntityManager, f: UnitFilter, page: Page, scope: Scope): Promise<UnitRow[]> {
  const { where, bindings } = filterSql(f, scope);
  const d = f.asOf ? datedSelect(f.asOf) : { sql: `select ${UNIT_COLUMNS} from admin_unit u`, bindings: [] };
  return readRows(em, `${d.sql} where ${where} order by u.code limit ?::int offset ?::int`, [...d.bindings, ...bindings, page.limit + 1, page.offset]);
}

export async function countUnits(em: EntityManager, f: UnitFilter, scope: Scope): Promise<number> {
  const { where, bindings } = filterSql(f, scope);
  const d = f.asOf ? { sql: DATED_FROM, bindings: [f.asOf, f.asOf, f.asOf, f.asOf] } : { sql: 'admin_unit u', bindings: [] };
  const [row] = await readRows<{ n: number }>(em, `select count(*)::int as n from ${d.sql} where ${where}`, [...d.bindings, ...bindings]);
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
  day: string | null = null,
): Promise<UnitRow[]> {
  if (parentIds.length === 0) return [];
  if (day) {
    return em.execute(
      `select * from (
         select ${DATED_COLUMNS}, row_number() over (partition by tm.parent_id order by u.code) as rn
           from unit_membership tm join admin_unit u on u.id = tm.unit_id ${NAME_ON}
          where tm.parent_id in (${parentIds.map(() => '?').join(',')}) and ${IN_FORCE('tm')}
            ${level ? 'and u.level = ?' : ''} ${includeRetired ? '' : `and ${EXISTS_ON}`} and ${scope.sql}
       ) x where rn > ? and rn <= ? order by "treeParentId", rn`,
      [day, day, day, ...parentIds, day, day, ...(level ? [level] : []), ...(includeRetired ? [] : [day, day]), ...scope.bindings, page.offset, page.offset + page.limit + 1],
    );
  }
  return readRows(
    em,
    `select * from (
       select ${UNIT_COLUMNS}, row_number() over (partition by u.parent_id order by u.code) as rn
         from admin_unit u
        where u.parent_id = any(?::int[])
          ${level ? 'and u.level = ?' : ''} ${includeRetired ? '' : 'and u.valid_to is null'} and ${scope.sql}
     ) x where rn > ?::int and rn <= ?::int order by "parentId", rn`,
    [pgArray(parentIds), ...(level ? [level] : []), ...scope.bindings, page.offset, page.offset + page.limit + 1],
  );
}

export async function childCounts(
  em: EntityManager,
  parentIds: readonly number[],
  level: UnitLevel | null,
  includeRetired: boolean,
  scope: Scope,
  day: string | null = null,
): Promise<Map<number, number>> {
  if (day) {
    const dated: { parentId: number; n: number }[] = await em.execute(
      `select tm.parent_id as "parentId", count(*)::int as n from unit_membership tm join admin_unit u on u.id = tm.unit_id
        where tm.parent_id in (${parentIds.map(() => '?').join(',')}) and ${IN_FORCE('tm')}
          ${level ? 'and u.level = ?' : ''} ${includeRetired ? '' : `and ${EXISTS_ON}`} and ${scope.sql}
        group by tm.parent_id`,
      [...parentIds, day, day, ...(level ? [level] : []), ...(includeRetired ? [] : [day, day]), ...scope.bindings],
    );
    return new Map(dated.map((r) => [r.parentId, r.n]));
  }
  const rows: { parentId: number; n: number }[] = await readRows(
    em,
    `select u.parent_id as "parentId", count(*)::int as n from admin_unit u
      where u.parent_id = any(?::int[])
        ${level ? 'and u.level = ?' : ''} ${includeRetired ? '' : 'and u.valid_to is null'} and ${scope.sql}
      group by u.parent_id`,
    [pgArray(parentIds), ...(level ? [level] : []), ...scope.bindings],
  );
  return new Map(rows.map((r) => [r.parentId, r.n]));
}

/** Active descendants (optionally of one level) under each unit, in one statement. */
export async function descendantCounts(
  em: EntityManager,
  units: readonly { id: number; path: string }[],
  level: UnitLevel | null,
  scope: Scope,
  day: string | null = null,
): Promise<Map<number, number>> {
  if (day) {
    // `path` is then the unit's ancestry in force that day; members under it that day, existing that day.
    const dated: { id: number; n: number }[] = await em.execute(
      `select r.id, count(u.id)::int as n
         from (values ${units.map(() => '(?::int, ?::ltree)').join(',')}) as r(id, path)
         join unit_membership tm on tm.path <@ r.path and tm.path <> r.path and ${IN_FORCE('tm')}
         join admin_unit u on u.id = tm.unit_id and ${EXISTS_ON} ${level ? 'and u.level = ?' : ''} and ${scope.sql}
        group by r.id`,
      [...units.flatMap((u) => [u.id, u.path]), day, day, day, day, ...(level ? [level] : []), ...scope.bindings],
    );
    return new Map(dated.map((r) => [r.id, r.n]));
  }
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
