import type { EntityManager } from '@mikro-orm/postgresql';

/**
 * Failed sign-ins counted per username and per client address, in PostgreSQL (shared by all
 * instances). Within a 15-minute window: from the 5th failure on each attempt waits, at the 10th the
 * key is locked for 15 minutes. An address gets four times the allowance of a username, since one
 * office behind one NAT address holds many officers.
 */
export const WINDOW_SECONDS = 15 * 60;
export const LOCK_SECONDS = 15 * 60;
export const USER_LIMITS = { delayAfter: 5, lockAfter: 10 };
export const IP_LIMITS = { delayAfter: 20, lockAfter: 40 };

export const userKey = (username: string): string => `user:${username}`;
export const ipKey = (ip: string): string => `ip:${ip}`;

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
       locked_until = case when ${next} >= (case when left(login_attempt.key, 5) = 'user:' then ? else ? end)
                           then now() + make_interval(secs => ${LOCK_SECONDS}) else login_attempt.locked_until end`,
    [...keys, USER_LIMITS.lockAfter, IP_LIMITS.lockAfter],
  );
}

export async function clearFailures(em: EntityManager, key: string): Promise<void> {
  await em.execute('delete from login_attempt where key = ?', [key]);
}
