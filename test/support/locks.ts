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
        const [{ w }] = (
          await t.sql<{ w: number }>(
            `select count(*)::int as w from pg_stat_activity where datname = current_database() and wait_event_type = 'Lock' and pid <> pg_backend_pid()`,
          )
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
