import { AsyncLocalStorage } from 'node:async_hooks';

/**
 * SQL statement counting per request, for tests and development (`extensions.sqlStatements`).
 *
 * It follows async calls with AsyncLocalStorage, which costs every promise of the request, so it is
 * switched on only outside production: `countStatements` is the one hook point (the /graphql route
 * wraps its handler in it when NODE_ENV is development or test), and the ORM's query listener
 * (db/orm.ts) finds no scope, and counts nothing, everywhere else.
 */
export interface StatementCount {
  sqlStatements: number;
}

const requestScope = new AsyncLocalStorage<StatementCount>();

/** Runs `fn` with a fresh statement counter that the ORM's query listener increments. */
export function countStatements<T>(fn: () => T): T {
  return requestScope.run({ sqlStatements: 0 }, fn);
}

/** The running request's counter, when counting is on. */
export function currentStatementCount(): StatementCount | undefined {
  return requestScope.getStore();
}
