import { Client } from 'pg';
import type { TestApp } from './app';

export interface HeldLocks {
  /** Resolves once `n` other sessions of this database wait for a lock (any lock: row, advisory, …). */
  waiters(n: number): Promise<void>;
  /** Commits the holding transaction, letting the waiters go. */
  release(): Promise<void>;
}

/**
 * Plays a concurrent writer that is slow to commit: runs `statements` in an open transaction on a connection of
 * its own (e.g. `select … for update` of the rows a mutation changes) and keeps the locks until release().
 * Requests sent meanwhile queue up behind it, so a test can line several of them up at the same point of their
 * work and let them go at once: a race that happens every run, not one run in twenty.
 */
export async function holdLocks(t: TestApp, statements: [string, unknown[]?][]): Promise<HeldLocks> {
  const c = new Client({ connectionString: t.dbUrl });
  c.on('error', () => {}); // the test database may be dropped under a connection a failed test left open
  await c.connect();
  const holder = (await c.query<{ pid: number }>('select pg_backend_pid() as pid')).rows[0].pid;
  await c.query('begin');
  for (const [text, params] of statements) await c.query(text, params ?? []);
  let released = false;
  const release = async () => {
    if (released) return;
    released = true;
    await c.query('commit');
    await c.end();
  };
  return {
    async waiters(n: number) {
      for (let i = 0; i < 400; i++) {
        // Only sessions queued behind the held locks count, directly or behind another queued session (a tuple
        // lock's later waiters wait for its first one): not an unrelated wait of the app (a rate-limit flush).
        const [{ w }] = await t.sql<{ w: number }>(
          `with recursive queued(pid) as (
             select a.pid from pg_stat_activity a where a.datname = current_database() and $1::int = any(pg_blocking_pids(a.pid))
             union
             select a.pid from pg_stat_activity a join queued q on q.pid = any(pg_blocking_pids(a.pid)) where a.datname = current_database())
           select count(*)::int as w from queued`,
          [holder],
        );
        if (w >= n) return;
        await new Promise((r) => setTimeout(r, 50));
      }
      await release();
      const activity = await t.sql(`select pid, state, wait_event_type, wait_event, left(query, 120) as query from pg_stat_activity where datname = current_database() and pid <> pg_backend_pid()`);
      throw new Error(`fewer than ${n} sessions came to wait for the held locks within 20 s: ${JSON.stringify(activity, null, 1)}`);
    },
    release,
  };
}
