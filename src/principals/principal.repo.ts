import type { EntityManager } from '@mikro-orm/postgresql';
import type { Scope } from '../common/scoped';
import type { KeysetPage } from '../common/pagination';
import type { LockableRows } from '../common/transaction';

/** A principal row as reads return it, with the fields the Principal rules look at. */
export interface PrincipalRow {
  id: number;
  kind: string;
  username: string | null;
  displayName: string;
  email: string | null;
  phone: string | null;
  description: string | null;
  status: string;
  homeUnitId: number | null;
  homePath: string | null;
  /** Paths of all its grants' units; null for a national grant. */
  grantPaths: (string | null)[];
  createdAt: Date;
}

const GRANT_PATHS = `array(select gu.path from "grant" g left join admin_unit gu on gu.id = g.unit_id where g.principal_id = p.id)`;

/** Columns of the Principal rules (ability.ts) over alias `p` and its home unit `hu`. */
export const principalColumns = { homePath: 'hu.path', grantPaths: GRANT_PATHS, id: 'p.id' };

const COLUMNS = `p.id, p.kind, p.username, p.display_name as "displayName", p.email, p.phone, p.description, p.status,
  p.home_unit_id as "homeUnitId", hu.path::text as "homePath", ${GRANT_PATHS}::text[] as "grantPaths", p.created_at as "createdAt"`;
const FROM = `principal p left join admin_unit hu on hu.id = p.home_unit_id`;

export async function principalsByIds(em: EntityManager, ids: readonly number[], scope: Scope, lock = ''): Promise<PrincipalRow[]> {
  if (ids.length === 0) return [];
  return em.execute(`select ${COLUMNS} from ${FROM} where p.id in (${ids.map(() => '?').join(',')}) and ${scope.sql} ${lock}`, [
    ...ids,
    ...scope.bindings,
  ]);
}

/**
 * Principals as writes lock them (common/transaction.ts lockedForUpdate). Every change to a principal's grants
 * locks its row first, so a write that checked the grants under this lock acts on the grants that are.
 */
export const PRINCIPAL_ROWS: LockableRows<PrincipalRow> = { name: 'Principal', alias: 'p', byIds: principalsByIds };

export interface PrincipalFilter {
  search?: string | null;
  /** Path of a unit: principals whose home unit or any grant lies in its subtree. */
  unitPath?: string | null;
  role?: string | null;
}

function filterSql(f: PrincipalFilter, scope: Scope): { where: string; bindings: unknown[] } {
  const parts = [scope.sql];
  const bindings: unknown[] = [...scope.bindings];
  if (f.search) {
    parts.push(`f_unaccent(lower(coalesce(p.username, '') || ' ' || p.display_name || ' ' || coalesce(p.email, ''))) like '%' || f_unaccent(lower(?)) || '%'`);
    bindings.push(f.search.replace(/[\\%_]/g, (c) => `\\${c}`));
  }
  if (f.unitPath) {
    parts.push(`(hu.path <@ ?::ltree or exists (select 1 from "grant" g join admin_unit gu on gu.id = g.unit_id where g.principal_id = p.id and gu.path <@ ?::ltree))`);
    bindings.push(f.unitPath, f.unitPath);
  }
  if (f.role) {
    parts.push(`exists (select 1 from "grant" g where g.principal_id = p.id and g.role = ?)`);
    bindings.push(f.role);
  }
  return { where: parts.join(' and '), bindings };
}

/** By id (creation order); the page starts strictly after the id in the cursor. */
export async function listPrincipals(em: EntityManager, f: PrincipalFilter, page: KeysetPage<number>, scope: Scope): Promise<PrincipalRow[]> {
  const { where, bindings } = filterSql(f, scope);
  const seek = page.after === null ? '' : ' and p.id > ?';
  return em.execute(`select ${COLUMNS} from ${FROM} where ${where}${seek} order by p.id limit ?`, [...bindings, ...(page.after === null ? [] : [page.after]), page.limit + 1]);
}

export async function countPrincipals(em: EntityManager, f: PrincipalFilter, scope: Scope): Promise<number> {
  const { where, bindings } = filterSql(f, scope);
  const [{ n }] = await em.execute<{ n: number }[]>(`select count(*)::int as n from ${FROM} where ${where}`, bindings);
  return n;
}

export interface GrantRow {
  id: number;
  principalId: number;
  role: string;
  unitId: number | null;
  unitPath: string | null;
  teamId: number | null;
  grantedById: number | null;
  createdAt: Date;
}

const GRANT_COLUMNS = `g.id, g.principal_id as "principalId", g.role, g.unit_id as "unitId", gu.path::text as "unitPath",
  g.team_id as "teamId", g.granted_by_id as "grantedById", g.created_at as "createdAt"`;

/** Grants of principals the caller has already been allowed to see. */
export async function grantsOfPrincipals(em: EntityManager, principalIds: readonly number[]): Promise<GrantRow[]> {
  if (principalIds.length === 0) return [];
  return em.execute(
    `select ${GRANT_COLUMNS} from "grant" g left join admin_unit gu on gu.id = g.unit_id
      where g.principal_id in (${principalIds.map(() => '?').join(',')}) order by g.id`,
    [...principalIds],
  );
}

/** A grant whose principal is visible under `scope` (over alias p/hu), or null. */
export async function grantById(em: EntityManager, id: number, scope: Scope): Promise<GrantRow | null> {
  const [row] = await em.execute<GrantRow[]>(
    `select ${GRANT_COLUMNS} from "grant" g left join admin_unit gu on gu.id = g.unit_id
       join ${FROM} on p.id = g.principal_id where g.id = ? and ${scope.sql}`,
    [id, ...scope.bindings],
  );
  return row ?? null;
}

export interface ApiKeyRow {
  id: number;
  principalId: number;
  keyId: string;
  name: string;
  expiresAt: Date | null;
  lastUsedAt: Date | null;
  revokedAt: Date | null;
  createdAt: Date;
}

const API_KEY_COLUMNS = `k.id, k.principal_id as "principalId", k.key_id as "keyId", k.name, k.expires_at as "expiresAt",
  k.last_used_at as "lastUsedAt", k.revoked_at as "revokedAt", k.created_at as "createdAt"`;

export async function apiKeysOfPrincipals(em: EntityManager, principalIds: readonly number[]): Promise<ApiKeyRow[]> {
  if (principalIds.length === 0) return [];
  return em.execute(`select ${API_KEY_COLUMNS} from api_key k where k.principal_id in (${principalIds.map(() => '?').join(',')}) order by k.id`, [
    ...principalIds,
  ]);
}

export async function apiKeyById(em: EntityManager, id: number, scope: Scope): Promise<ApiKeyRow | null> {
  const [row] = await em.execute<ApiKeyRow[]>(
    `select ${API_KEY_COLUMNS} from api_key k join ${FROM} on p.id = k.principal_id where k.id = ? and ${scope.sql}`,
    [id, ...scope.bindings],
  );
  return row ?? null;
}

/** Active principals holding SYSTEM_ADMIN, other than the excluded principal / grant. */
export async function otherActiveSystemAdmins(em: EntityManager, exclude: { principalId?: number; grantId?: number }): Promise<number> {
  const [{ n }] = await em.execute<{ n: number }[]>(
    `select count(distinct p.id)::int as n from "grant" g join principal p on p.id = g.principal_id
      where g.role = 'SYSTEM_ADMIN' and p.status = 'ACTIVE' and p.id <> ? and g.id <> ?`,
    [exclude.principalId ?? -1, exclude.grantId ?? -1],
  );
  return n;
}
