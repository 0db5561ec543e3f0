import type { EntityManager } from '@mikro-orm/postgresql';

/** Writes of the administrators' account tools (edit, bulk import). Callers have checked jurisdiction first. */

/** Locks the principal row: grant inserts (foreign key) and other edits of it wait until the transaction ends. */
export async function lockPrincipal(em: EntityManager, id: number): Promise<boolean> {
  const rows = await em.execute('select id from principal where id = ? for update', [id]);
  return rows.length > 0;
}

export interface PrincipalEdits {
  displayName: string;
  email: string | null;
  phone: string | null;
  description: string | null;
  homeUnitId: number | null;
}

export async function updatePrincipalRow(em: EntityManager, id: number, e: PrincipalEdits): Promise<void> {
  await em.execute(
    'update principal set display_name = ?, email = ?, phone = ?, description = ?, home_unit_id = ?, updated_at = now() where id = ?',
    [e.displayName, e.email, e.phone, e.description, e.homeUnitId, id],
  );
}

export async function takenUsernames(em: EntityManager, usernames: string[]): Promise<Set<string>> {
  if (usernames.length === 0) return new Set();
  const rows = await em.execute<{ username: string }[]>('select username from principal where username in (select jsonb_array_elements_text(?::jsonb))', [JSON.stringify(usernames)]);
  return new Set(rows.map((r) => r.username));
}

export interface ImportedUser {
  username: string;
  displayName: string;
  email: string | null;
  phone: string | null;
  passwordHash: string;
  homeUnitId: number;
}

/** One statement for every account; ids are returned in input order. */
export async function insertUsers(em: EntityManager, users: ImportedUser[]): Promise<number[]> {
  const rows = await em.execute<{ id: number; username: string }[]>(
    `insert into principal (kind, username, display_name, email, phone, password_hash, status, home_unit_id, created_at, updated_at)
     select 'USER', u.username, u.display_name, u.email, u.phone, u.password_hash, 'ACTIVE', u.home_unit_id, now(), now()
       from jsonb_to_recordset(?::jsonb) as u(username text, display_name text, email text, phone text, password_hash text, home_unit_id int)
     returning id, username`,
    [JSON.stringify(users.map((u) => ({ username: u.username, display_name: u.displayName, email: u.email, phone: u.phone, password_hash: u.passwordHash, home_unit_id: u.homeUnitId })))],
  );
  const byUsername = new Map(rows.map((r) => [r.username, r.id]));
  return users.map((u) => byUsername.get(u.username)!);
}

/** One statement for every grant; ids are returned in input order (the (principal, role, unit) triples are distinct). */
export async function insertGrants(em: EntityManager, grants: { principalId: number; role: string; unitId: number | null }[], grantedById: number): Promise<number[]> {
  if (grants.length === 0) return [];
  const rows = await em.execute<{ id: number; principal_id: number; role: string; unit_id: number | null }[]>(
    `insert into "grant" (principal_id, role, unit_id, granted_by_id, created_at)
     select g.principal_id, g.role, g.unit_id, ?, now() from jsonb_to_recordset(?::jsonb) as g(principal_id int, role text, unit_id int)
     returning id, principal_id, role, unit_id`,
    [grantedById, JSON.stringify(grants.map((g) => ({ principal_id: g.principalId, role: g.role, unit_id: g.unitId })))],
  );
  const key = (p: number, r: string, u: number | null) => `${p}/${r}/${u}`;
  const ids = new Map(rows.map((r) => [key(r.principal_id, r.role, r.unit_id), r.id]));
  return grants.map((g) => ids.get(key(g.principalId, g.role, g.unitId))!);
}

export interface ImportUnit {
  id: number;
  code: string;
  path: string;
}

/**
 * Units named by an import, within the caller's read scope. With `lock`, they are share-locked so that
 * a move cannot take one out of the caller's jurisdiction between the check and the write.
 */
export async function unitsByCodesForImport(em: EntityManager, codes: string[], scope: { sql: string; bindings: unknown[] }, lock: boolean): Promise<ImportUnit[]> {
  if (codes.length === 0) return [];
  return em.execute(
    `select u.id, u.code, u.path::text as path from admin_unit u where u.code in (select jsonb_array_elements_text(?::jsonb)) and ${scope.sql}${lock ? ' for share of u' : ''}`,
    [JSON.stringify(codes), ...scope.bindings],
  );
}
