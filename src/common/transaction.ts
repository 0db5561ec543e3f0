import type { EntityManager } from '@mikro-orm/postgresql';
import type { Context } from '../context';
import { ConflictError } from './errors';

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
  return retryingConflicts(ctx, () => ctx.em.transactional((em) => work(em as EntityManager)));
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
