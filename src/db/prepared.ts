import type { EntityManager } from '@mikro-orm/postgresql';
import { currentStatementCount } from './request-scope';

interface PooledConnection {
  query<R>(config: { name: string; text: string; values: unknown[] }): Promise<{ rows: R[] }>;
}
interface KnexClient {
  acquireConnection(): Promise<PooledConnection>;
  releaseConnection(connection: PooledConnection): Promise<unknown>;
}

/**
 * Runs a named statement (`$1`-style parameters) on a connection of the ORM's pool. PostgreSQL prepares it once
 * per connection and then reuses its plan: for the statement every request runs (authentication), planning cost
 * five times its execution. The connection carries the pool's guards (timeouts, watchdog); errors are pg's own,
 * which the database error classification reads.
 */
export async function queryPrepared<R>(em: EntityManager, name: string, text: string, values: unknown[]): Promise<R[]> {
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
