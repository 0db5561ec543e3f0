import { randomUUID } from 'node:crypto';
import type { EntityManager, MikroORM } from '@mikro-orm/postgresql';
import type { Logger } from 'pino';
import type { Config } from './config';
import type { Context } from './context';
import type { RateLimiter } from './common/rate-limit';
import { defineAbility } from './auth/ability';
import { Role } from './auth/roles';

const unlimited = { hit: () => ({ allowed: true, retryAfterSeconds: 0 }) } as unknown as RateLimiter;

/**
 * A Context for jobs run by operators (CLI imports, seeding): no principal (audit entries carry
 * principal null and the job's request id), the SYSTEM_ADMIN ability, a fresh EntityManager.
 * Never built from a request.
 */
export function systemContext(orm: MikroORM, config: Config, log: Logger, job: string): Context {
  return {
    requestId: `${job}:${randomUUID()}`,
    em: orm.em.fork() as EntityManager,
    principal: null,
    ability: defineAbility([{ role: Role.SYSTEM_ADMIN, unitPath: null }]),
    config,
    keys: null as never, // jobs sign no tokens
    log: log.child({ job }),
    ip: 'local',
    loaderSets: new Map(),
    rateLimiter: unlimited,
  };
}
