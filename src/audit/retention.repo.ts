import type { EntityManager } from '@mikro-orm/postgresql';
import { WINDOW_SECONDS } from '../auth/login-throttle.repo';

/**
 * What the retention job deletes. Client addresses are personal data: they are kept in the audit log for
 * `ipDays` (to investigate sign-ins), then removed from the entries; sign-in throttle rows (keyed by address)
 * and the used-token hashes of ended sessions are deleted once they can no longer matter.
 */
export async function stripOldAddresses(em: EntityManager, ipDays: number): Promise<number> {
  const rows = await em.execute<{ id: string }[]>(
    `update audit_entry set after = after - 'ip' where after \\? 'ip' and at < now() - make_interval(days => ?) returning id`,
    [ipDays],
  );
  return rows.length;
}

export async function deleteStaleLoginAttempts(em: EntityManager): Promise<number> {
  const rows = await em.execute<{ key: string }[]>(
    `delete from login_attempt where window_started_at < now() - make_interval(secs => ?) and (locked_until is null or locked_until < now()) returning key`,
    [WINDOW_SECONDS],
  );
  return rows.length;
}

export async function deleteUsedTokensOfEndedSessions(em: EntityManager): Promise<number> {
  const rows = await em.execute<{ token_hash: string }[]>(
    `delete from refresh_token_used u using refresh_session s
      where s.id = u.session_id and (s.revoked_at is not null or s.expires_at < now()) returning u.token_hash`,
  );
  return rows.length;
}
