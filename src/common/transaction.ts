import type { EntityManager } from '@mikro-orm/postgresql';
import type { Context } from '../context';
import { unscoped, type Scope } from './scoped';
import { ConflictError, NotFoundError } from './errors';
import { toGlobalId } from './global-id';

const RETRYABLE = new Set(['40001', '40P01']); // serialization failure, deadlock
const MAX_ATTEMPTS = 5;

function pgCode(e: unknown): string | undefined {
  const err = e as { code?: unknown; cause?: { code?: unknown } };
  const code = err?.code ?? err?.cause?.code;
  return typeof code === 'string' ? code : undefined;
}

/**
 * Runs `work` in one transaction: the change and its audit entries commit together or not at all.
 * Serialization failures and deadlocks are retried, so concurrent writers never see them;
 * a unique violation that slips past validation becomes CONFLICT.
 */
export function writeTransaction<T>(ctx: Pick<Context, 'em' | 'log'>, work: (em: EntityManager) => Promise<T>): Promise<T> {
  return retryingConflicts(ctx, () => inTransaction(ctx.em, work));
}

/**
 * Runs `work` on a fork of `em` bound to one transaction of the connection: committed when it resolves, rolled back
 * when it throws. Not `em.transactional`: that runs the work inside MikroORM's AsyncLocalStorage (TransactionContext)
 * and flushes the unit of work inside another, and on Node 20 the first such run turns promise hooks on for the
 * rest of the process — every promise of every later request then pays for them (≈ 35 % of the API's CPU on an
 * uncached dashboard, docs/PERFORMANCE.md). Nothing here persists entities (every write is SQL through
 * `em.execute`), so there is no unit of work to flush.
 */
export async function inTransaction<T>(em: EntityManager, work: (em: EntityManager) => Promise<T>): Promise<T> {
  // Already in one (a write called from another's work): join it, as em.transactional did, never a second connection.
  if (em.isInTransaction()) return work(em);
  const connection = em.getConnection('write');
  const trx = await connection.begin();
  const tx = em.fork({ clear: true });
  tx.setTransactionContext(trx);
  try {
    const result = await work(tx);
    await connection.commit(trx);
    return result;
  } catch (e) {
    // After a failed commit the transaction is already over; the work's (or the commit's) error is what counts.
    await connection.rollback(trx).catch(() => {});
    throw e;
  } finally {
    tx.resetTransactionContext();
  }
}

/**
 * Runs `run` (a transaction, or one statement that is its own transaction) again on a serialization failure
 * or a deadlock, so clients never see them; a unique violation becomes CONFLICT.
 */
export async function retryingConflicts<T>(ctx: Pick<Context, 'log'>, run: () => Promise<T>): Promise<T> {
  for (let attempt = 1; ; attempt++) {
    try {
      return await run();
    } catch (e) {
      const code = pgCode(e);
      if (code && RETRYABLE.has(code) && attempt < MAX_ATTEMPTS) {
        ctx.log.debug({ code, attempt }, 'retrying transaction');
        await new Promise((r) => setTimeout(r, 5 * attempt + Math.floor(Math.random() * 10)));
        continue;
      }
      if (code === '23505') throw new ConflictError('This would duplicate an existing record (a unique key is already taken).');
      throw e;
    }
  }
}

/**
 * How a feature reads its rows by id (its repo's `xByIds(em, ids, scope, lock)`), and the alias of the row's own
 * table in that select (only that table is locked; joined ones are read).
 */
export interface LockableRows<R, K extends number | string = number> {
  readonly name: string;
  readonly alias: string;
  readonly byIds: (em: EntityManager, ids: readonly K[], scope: Scope, lock: string) => Promise<R[]>;
}

/**
 * The one way a write reads the row it depends on: inside its own transaction, after locking the row FOR UPDATE,
 * through the caller's jurisdiction. The row gone, or no longer visible, answers NOT_FOUND. The caller validates
 * against the returned row and derives its write and its audit "before" from it, never from a copy read earlier.
 *
 * Lock and read are two statements on purpose: under READ COMMITTED a statement that waited for a row lock still
 * reads every other table (a principal's grants, a unit's parent) as of its start, so the read that follows the
 * wait sees what the writer we waited for committed.
 */
export async function lockedForUpdate<R, K extends number | string>(em: EntityManager, rows: LockableRows<R, K>, id: K, scope: Scope): Promise<R> {
  await rows.byIds(em, [id], unscoped('lockedForUpdate: the lock itself; the read that follows is scoped'), `for update of ${rows.alias}`);
  const [row] = await rows.byIds(em, [id], scope, '');
  if (!row) throw new NotFoundError(rows.name, typeof id === 'number' ? toGlobalId(rows.name, id) : id);
  return row;
}
