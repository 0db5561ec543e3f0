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
  await c.connect();
  await c.query('begin');
  for (const [text, params] of statements) await c.query(text, params ?? []);
  let released = false;
  return {
    async waiters(n: number) {
      for (let i = 0; i < 600; i++) {
        const [{ w }] = (
          await t.sql<{ w: number }>(
            `select count(*)::int as w from pg_stat_activity where datname = current_database() and wait_event_type = 'Lock' and pid <> pg_backend_pid()`,
          )
        );
        if (w >= n) return;
        await new Promise((r) => setTimeout(r, 50));
      }
      throw new Error(`fewer than ${n} sessions came to wait for the held locks within 30 s`);
    },
    async release() {
      if (released) return;
      released = true;
      await c.query('commit');
      await c.end();
    },
  };
}
