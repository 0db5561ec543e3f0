import type { EntityManager } from '@mikro-orm/postgresql';

/** Writes to principal, grant and api_key. Callers have checked jurisdiction first. */

export interface NewPrincipal {
  kind: 'USER' | 'SERVICE_ACCOUNT';
  username: string | null;
  displayName: string;
  email?: string | null;
  phone?: string | null;
  description?: string | null;
  passwordHash: string | null;
  homeUnitId: number | null;
}

export async function insertPrincipal(em: EntityManager, p: NewPrincipal): Promise<number> {
  const [{ id }] = await em.execute<{ id: number }[]>(
    `insert into principal (kind, username, display_name, email, phone, description, password_hash, status, home_unit_id, created_at, updated_at)
     values (?, ?, ?, ?, ?, ?, ?, 'ACTIVE', ?, now(), now()) returning id`,
    [p.kind, p.username, p.displayName, p.email ?? null, p.phone ?? null, p.description ?? null, p.passwordHash, p.homeUnitId],
  );
  return id;
}

export async function usernameTaken(em: EntityManager, username: string): Promise<boolean> {
  const rows = await em.execute('select 1 from principal where username = ?', [username]);
  return rows.length > 0;
}

export async function setStatus(em: EntityManager, id: number, status: 'ACTIVE' | 'DISABLED'): Promise<void> {
  await em.execute('update principal set status = ?, updated_at = now() where id = ?', [status, id]);
}

export async function insertGrant(
  em: EntityManager,
  g: { principalId: number; role: string; unitId: number | null; teamId: number | null; grantedById: number | null },
): Promise<number> {
  const [{ id }] = await em.execute<{ id: number }[]>(
    `insert into "grant" (principal_id, role, unit_id, team_id, granted_by_id, created_at) values (?, ?, ?, ?, ?, now()) returning id`,
    [g.principalId, g.role, g.unitId, g.teamId, g.grantedById],
  );
  return id;
}

export async function grantExists(em: EntityManager, g: { principalId: number; role: string; unitId: number | null; teamId: number | null }): Promise<boolean> {
  const rows = await em.execute(
    `select 1 from "grant" where principal_id = ? and role = ? and unit_id is not distinct from ? and team_id is not distinct from ?`,
    [g.principalId, g.role, g.unitId, g.teamId],
  );
  return rows.length > 0;
}

export async function deleteGrant(em: EntityManager, id: number): Promise<void> {
  await em.execute('delete from "grant" where id = ?', [id]);
}

/** Serialises changes that could remove the last SYSTEM_ADMIN (checked after taking this lock). */
export async function lockSystemAdmins(em: EntityManager): Promise<void> {
  await em.execute('select pg_advisory_xact_lock(hashtext(?))', ['system-admins']);
}

export async function insertApiKey(em: EntityManager, k: { principalId: number; keyId: string; secretHash: string; name: string; expiresAt: Date | null }): Promise<number> {
  const [{ id }] = await em.execute<{ id: number }[]>(
    `insert into api_key (principal_id, key_id, secret_hash, name, expires_at, created_at) values (?, ?, ?, ?, ?, now()) returning id`,
    [k.principalId, k.keyId, k.secretHash, k.name, k.expiresAt],
  );
  return id;
}

export async function revokeApiKeyRow(em: EntityManager, id: number): Promise<void> {
  await em.execute('update api_key set revoked_at = now() where id = ? and revoked_at is null', [id]);
}
