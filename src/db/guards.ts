import type { Config } from '../config';
import { watchedSocketFactory } from './answer-watchdog';

/** Bounds on every wait for the database, for the ORM that serves requests (see Config['db']). */
export type DatabaseGuards = Config['db'];

/**
 * MikroORM options that bound every wait: server-side statement, lock and idle-in-transaction
 * timeouts (sent in the startup packet, so they hold for every statement of every connection),
 * a connect timeout, a pool-acquire timeout, TCP keep-alive, and a watchdog that cuts a socket
 * whose server stays silent. Migrations and command-line tools open the ORM without them.
 */
export function guardedOrmOptions(g: DatabaseGuards) {
  return {
    pool: { acquireTimeoutMillis: g.acquireTimeoutMs, createTimeoutMillis: g.connectTimeoutMs + 1_000 },
    driverOptions: {
      connection: {
        statement_timeout: g.statementTimeoutMs,
        lock_timeout: g.lockTimeoutMs,
        idle_in_transaction_session_timeout: g.idleInTransactionTimeoutMs,
        connectionTimeoutMillis: g.connectTimeoutMs,
        keepAlive: true,
        keepAliveInitialDelayMillis: g.keepAliveDelayMs,
        stream: watchedSocketFactory(g.answerTimeoutMs),
      },
    },
  };
}

/** Answers whether the database takes a trivial query within `timeoutMs` (for /readyz), never waiting longer. */
export async function databaseAnswers(run: () => Promise<unknown>, timeoutMs: number): Promise<boolean> {
  let timer: NodeJS.Timeout | undefined;
  const late = new Promise<false>((resolve) => (timer = setTimeout(() => resolve(false), timeoutMs)));
  try {
    return await Promise.race([run().then(() => true, () => false), late]);
  } finally {
    clearTimeout(timer);
  }
}
