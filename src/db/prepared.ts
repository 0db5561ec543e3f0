import type { EntityManager } from '@mikro-orm/postgresql';
import { currentStatementCount } from './request-scope';

interface PooledConnection {
  query<R>(config: { name?: string; text: string; values: unknown[] }): Promise<{ rows: R[] }>;
}
interface KnexClient {
  acquireConnection(): Promise<PooledConnection>;
  releaseConnection(connection: PooledConnection): Promise<unknown>;
}

/**
 * Runs a named statement (`$1`-style parameters) on a connection of the ORM's pool. PostgreSQL prepares it once
 * per connection and then reuses its plan: for the statements every request runs (authentication, a report),
 * planning cost more than execution, and knex's work per statement goes too. The connection carries the pool's
 * guards (timeouts, watchdog); errors are pg's own, which the database error classification reads.
 * Never inside a transaction: the statement would run on another connection, outside it.
 */
export async function queryPrepared<R>(em: EntityManager, name: string | undefined, text: string, values: unknown[]): Promise<R[]> {
  if (em.isInTransaction()) throw new Error(`queryPrepared(${name ?? 'unnamed'}) called inside a transaction`);
  const client = em.getConnection().getKnex().client as unknown as KnexClient;
  const connection = await client.acquireConnection();
  try {
    const counter = currentStatementCount();
    if (counter) counter.sqlStatements++;
    return (await connection.query<R>({ name, text, values })).rows;
  } finally {
    await client.releaseConnection(connection);
  }
}

/** knex's `?` placeholders as pg's `$1…$n`; only for statements whose text holds no literal `?`. */
export function positional(sql: string): string {
  let n = 0;
  return sql.replace(/\?/g, () => `$${++n}`);
}

/** Names given to statement texts built at run time (jurisdiction conditions vary in shape, not in number). */
const namedTexts = new Map<string, string>();
const MAX_NAMED_TEXTS = 200;

/**
 * A statement whose text is built per request from a few shapes (e.g. a read scoped by the caller's grants: one
 * text per number of grants), with knex's `?` placeholders and no literal `?` in it: prepared under a name of its
 * own, the first MAX_NAMED_TEXTS texts of the process; later ones run unnamed. Outside transactions only.
 */
export function queryByShape<R>(em: EntityManager, sql: string, values: readonly unknown[]): Promise<R[]> {
  const text = positional(sql);
  let name = namedTexts.get(text);
  if (!name && namedTexts.size < MAX_NAMED_TEXTS) {
    name = `shape_${namedTexts.size + 1}`;
    namedTexts.set(text, name);
  }
  return queryPrepared<R>(em, name, text, [...values]);
}

/**
 * A read that may run inside a caller's transaction: there through the EntityManager (the transaction's
 * connection), otherwise prepared by shape (queryByShape). PostgreSQL then plans each shape once per connection
 * instead of on every request — for the dashboard reads planning cost as much as running them (1.2 ms of planning
 * for 1.1 ms of execution on the figures of 495 units) — and the values travel as parameters instead of being
 * escaped into the text. Same rule as queryByShape: `?` placeholders only, no literal `?` in the text, and lists
 * as one array parameter (`= any(?::int[])` with pgArray), so that a shape does not vary with their length.
 */
export function readRows<R>(em: EntityManager, sql: string, values: readonly unknown[] = []): Promise<R[]> {
  return em.isInTransaction() ? em.execute<R[]>(sql, [...values]) : queryByShape<R>(em, sql, values);
}

/**
 * A PostgreSQL array literal, passed as one parameter (`= any(?::int[])`, `?::text[]`): the statement's text stays the
 * same whatever the list's length (knex would expand a JS array into a list of bindings).
 */
export const pgArray = (items: readonly (string | number | null)[]): string =>
  `{${items.map((x) => (x === null ? 'NULL' : typeof x === 'number' ? String(x) : `"${x.replace(/["\\]/g, '\\$&')}"`)).join(',')}}`;
