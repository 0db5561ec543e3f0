import type { EntityManager } from '@mikro-orm/postgresql';

/** refresh_session rows and the credentials of sign-in. */

export interface LoginRow {
  id: number;
  status: string;
  passwordHash: string | null;
  homePath: string | null;
}

export async function loginPrincipal(em: EntityManager, username: string): Promise<LoginRow | null> {
  const [row] = await em.execute<LoginRow[]>(
    `select p.id, p.status, p.password_hash as "passwordHash", hu.path::text as "homePath"
       from principal p left join admin_unit hu on hu.id = p.home_unit_id
      where p.username = ? and p.kind = 'USER'`,
    [username],
  );
  return row ?? null;
}

export async function passwordHashOf(em: EntityManager, principalId: number): Promise<string | null> {
  const [row] = await em.execute<{ h: string | null }[]>('select password_hash as h from principal where id = ?', [principalId]);
  return row?.h ?? null;
}

export async function insertSession(em: EntityManager, s: { id: string; principalId: number; tokenHash: string; ttlSeconds: number }): Promise<void> {
  await em.execute(
    `insert into refresh_session (id, principal_id, token_hash, expires_at, created_at) values (?, ?, ?, now() + make_interval(secs => ?), now())`,
    [s.id, s.principalId, s.tokenHash, s.ttlSeconds],
  );
}

export interface SessionRow {
  id: string;
  principalId: number;
  tokenHash: string;
  live: boolean;
  principalActive: boolean;
  homePath: string | null;
}

/** The session, locked for the rest of the transaction (concurrent refreshes of one session queue up). */
export async function lockSession(em: EntityManager, id: string): Promise<SessionRow | null> {
  const [row] = await em.execute<SessionRow[]>(
    `select s.id, s.principal_id as "principalId", s.token_hash as "tokenHash",
            (s.revoked_at is null and s.expires_at > now()) as live, (p.status = 'ACTIVE') as "principalActive",
            (select hu.path::text from admin_unit hu where hu.id = p.home_unit_id) as "homePath"
       from refresh_session s join principal p on p.id = s.principal_id
      where s.id = ? for update of s`,
    [id],
  );
  return row ?? null;
}

/** Replaces the session's token, keeping the hash of the one it replaces for reuse detection. */
export async function rotateSession(em: EntityManager, id: string, oldHash: string, newHash: string): Promise<void> {
  await em.execute('insert into refresh_token_used (token_hash, session_id, used_at) values (?, ?, now()) on conflict do nothing', [oldHash, id]);
  await em.execute('update refresh_session set token_hash = ?, last_rotated_at = now() where id = ?', [newHash, id]);
}

/** Whether `hash` was a token of this session before a rotation. */
export async function wasRotatedAway(em: EntityManager, sessionId: string, hash: string): Promise<boolean> {
  const rows = await em.execute('select 1 from refresh_token_used where token_hash = ? and session_id = ?', [hash, sessionId]);
  return rows.length > 0;
}

export async function revokeSession(em: EntityManager, id: string): Promise<number> {
  const res = await em.execute<{ id: string }[]>('update refresh_session set revoked_at = now() where id = ? and revoked_at is null returning id', [id]);
  return res.length;
}

/** Revokes every live session of the principal, except `keep` when given. */
export async function revokeSessionsOf(em: EntityManager, principalId: number, keep?: string | null): Promise<number> {
  const res = await em.execute<{ id: string }[]>(
    `update refresh_session set revoked_at = now() where principal_id = ? and revoked_at is null ${keep ? 'and id <> ?' : ''} returning id`,
    keep ? [principalId, keep] : [principalId],
  );
  return res.length;
}

export async function setPasswordHash(em: EntityManager, principalId: number, hash: string): Promise<void> {
  await em.execute('update principal set password_hash = ?, updated_at = now() where id = ?', [hash, principalId]);
}
