import type { EntityManager } from '@mikro-orm/postgresql';

type Query = (sql: string) => Promise<{ v: string }[]>;

const READ = 'select last_value::text as v from data_version_seq';
const BUMP = "select nextval('data_version_seq')::text as v";

/**
 * The version of all shared data, kept in PostgreSQL so every API instance sees the same one: a sequence that
 * every write advances AFTER it commits (mutations through the GraphQL layer, imports and seeds through
 * `bumpDataVersion`). A response computed after reading version V is stored under V; any write committed later
 * moves the version past V, so that answer is never served again. Reads are batched: requests that arrive while a
 * read is running share the next one, which starts after they arrived (so a client always sees its own writes).
 */
export class DataVersion {
  private queued: Promise<string> | null = null;
  private running: Promise<unknown> = Promise.resolve();

  constructor(private readonly query: Query) {}

  current(): Promise<string> {
    if (this.queued) return this.queued;
    const next = this.running.then(() => {
      this.queued = null;
      return this.query(READ).then((rows) => rows[0].v);
    });
    this.queued = next;
    this.running = next.catch(() => undefined);
    return next;
  }

  async bump(): Promise<void> {
    await this.query(BUMP);
  }
}

/** For writers outside the GraphQL layer (CLIs, seeds): call after the write has committed. */
export async function bumpDataVersion(em: EntityManager): Promise<void> {
  await em.getConnection().execute(BUMP);
}
