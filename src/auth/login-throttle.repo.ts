import type { EntityManager } from '@mikro-orm/postgresql';

/**
 * Failed sign-ins, counted in PostgreSQL (shared by all instances) within a 15-minute window, per key:
 * - `pair:<address>|<username>`: one username from one address. From the 5th failure each attempt waits; at the
 *   10th that address is locked out of that username for 15 minutes. The account stays usable from any address
 *   that has not failed, so knowing a username is not enough to lock its owner out.
 * - `ip:<address>`: one address over any usernames; four times the allowance (one office behind one NAT address
 *   holds many officers), then the address is locked.
 * - `user:<username>`: one username from all addresses (a distributed guess): it only slows sign-ins down (capped
 *   wait), it never locks, for the same reason.
 * - `pw:<principal id>`: wrong current passwords in changeMyPassword (a stolen access token must not be a
 *   password oracle): locked after 5.
 */
export const WINDOW_SECONDS = 15 * 60;
export const LOCK_SECONDS = 15 * 60;

interface Limits {
  delayAfter: number;
  /** null: never locks. */
  lockAfter: number | null;
}
export const LIMITS = {
  pair: { delayAfter: 5, lockAfter: 10 },
  ip: { delayAfter: 20, lockAfter: 40 },
  user: { delayAfter: 20, lockAfter: null },
  pw: { delayAfter: 3, lockAfter: 5 },
} satisfies Record<string, Limits>;
type Kind = keyof typeof LIMITS;

export const pairKey = (username: string, ip: string): string => `pair:${ip}|${username}`;
export const ipKey = (ip: string): string => `ip:${ip}`;
export const userKey = (username: string): string => `user:${username}`;
export const passwordKey = (principalId: number): string => `pw:${principalId}`;

export const limitsOf = (key: string): Limits => LIMITS[key.slice(0, key.indexOf(':')) as Kind];

// The lock threshold of a stored key, from its prefix (constants only: no input reaches this SQL).
const LOCK_AFTER_SQL = `case split_part(login_attempt.key, ':', 1) ${Object.entries(LIMITS)
  .map(([kind, l]) => `when '${kind}' then ${l.lockAfter ?? 'null'}`)
  .join(' ')} end`;

export interface ThrottleState {
  key: string;
  /** Failures inside the current window. */
  failures: number;
  /** Seconds until the lock ends; 0 when not locked. */
  lockedFor: number;
}

export async function throttleStates(em: EntityManager, keys: string[]): Promise<ThrottleState[]> {
  return em.execute(
    `select key,
            case when window_started_at > now() - make_interval(secs => ?) then failures else 0 end as failures,
            greatest(0, ceil(extract(epoch from coalesce(locked_until, now()) - now())))::int as "lockedFor"
       from login_attempt where key in (${keys.map(() => '?').join(', ')})`,
    [WINDOW_SECONDS, ...keys],
  );
}

/** Counts one failure for each key (one statement), locking keys that reach their limit. */
export async function recordFailure(em: EntityManager, keys: string[]): Promise<void> {
  const inWindow = `login_attempt.window_started_at > now() - make_interval(secs => ${WINDOW_SECONDS})`;
  const next = `case when ${inWindow} then login_attempt.failures + 1 else 1 end`;
  await em.execute(
    `insert into login_attempt (key, failures, window_started_at, locked_until)
     select v.key, 1, now(), null from (values ${keys.map(() => '(?)').join(', ')}) as v(key)
     on conflict (key) do update set
       failures = ${next},
       window_started_at = case when ${inWindow} then login_attempt.window_started_at else now() end,
       locked_until = case when ${next} >= ${LOCK_AFTER_SQL} then now() + make_interval(secs => ${LOCK_SECONDS}) else login_attempt.locked_until end`,
    keys,
  );
}

export async function clearFailures(em: EntityManager, key: string): Promise<void> {
  await em.execute('delete from login_attempt where key = ?', [key]);
}

/** Clears every sign-in lock and count of one account (all addresses), for unlockPrincipal. Returns how many. */
export async function clearAccountLocks(em: EntityManager, username: string, principalId: number): Promise<number> {
  const rows = await em.execute<{ key: string }[]>(
    `delete from login_attempt
      where (key like 'pair:%' and substr(key, strpos(key, '|') + 1) = ?) or key = ? or key = ? returning key`,
    [username, userKey(username), passwordKey(principalId)],
  );
  return rows.length;
}
