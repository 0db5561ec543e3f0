import type { MikroORM, EntityManager } from '@mikro-orm/postgresql';
import type { Logger } from 'pino';
import { deleteStaleLoginAttempts, deleteUsedTokensOfEndedSessions, stripOldAddresses } from './retention.repo';

export interface RetentionResult {
  addressesStripped: number;
  loginAttemptsDeleted: number;
  usedTokensDeleted: number;
}

/** One pass of the retention rules (retention.repo.ts). Idempotent: several instances may run it. */
export async function runRetention(em: EntityManager, ipDays: number): Promise<RetentionResult> {
  return {
    addressesStripped: await stripOldAddresses(em, ipDays),
    loginAttemptsDeleted: await deleteStaleLoginAttempts(em),
    usedTokensDeleted: await deleteUsedTokensOfEndedSessions(em),
  };
}

/** Runs the retention pass at start and then every `intervalMs`; returns a stop function. */
export function startRetention(orm: MikroORM, log: Logger, ipDays: number, intervalMs = 60 * 60 * 1000): () => void {
  const pass = () =>
    runRetention(orm.em.fork() as EntityManager, ipDays)
      .then((r) => log.debug(r, 'retention pass'))
      .catch((err: unknown) => log.warn({ err }, 'retention pass failed; retrying at the next interval'));
  const first = setTimeout(pass, 10_000);
  const timer = setInterval(pass, intervalMs);
  first.unref();
  timer.unref();
  return () => {
    clearTimeout(first);
    clearInterval(timer);
  };
}
