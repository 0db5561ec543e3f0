import type { EntityManager } from '@mikro-orm/postgresql';

/*
 * The version of all shared data, kept in PostgreSQL so every API instance sees the same one: a sequence that
 * every write advances AFTER it commits (mutations through the GraphQL layer, imports and seeds). It is read in
 * the authentication statement (src/auth/authenticate.ts), so a response computed after reading version V is
 * stored under V, and any write committed later moves the version past V before its client is answered: that
 * answer is never served again.
 */

/** The statement that advances the version; run it after the write has committed. */
export const BUMP_DATA_VERSION_EXPR = "nextval('data_version_seq')";
export const BUMP_DATA_VERSION = `select ${BUMP_DATA_VERSION_EXPR}`;

/** The version as a column of another statement (no round trip of its own). */
export const DATA_VERSION_COLUMN = '(select last_value::text from data_version_seq)';

export async function bumpDataVersion(em: EntityManager): Promise<void> {
  await em.getConnection().execute(BUMP_DATA_VERSION);
}
