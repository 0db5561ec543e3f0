import { randomUUID } from 'node:crypto';
import type { MikroORM, EntityManager } from '@mikro-orm/postgresql';
import type { Config } from './config';
import type { Context } from './context';
import { defineAbility } from './auth/ability';
import { Role } from './auth/roles';
import { createLogger } from './logger';
import type { KeySet } from './auth/keys';
import type { RateLimiter } from './common/rate-limit';

/**
 * A context for command-line jobs (imports, seeding): SYSTEM_ADMIN powers, no principal id
 * (audit entries record principal null and the job's request id).
 */
export function systemContext(orm: MikroORM, config: Config): Context {
  return {
    requestId: `cli-${randomUUID()}`,
    em: orm.em.fork() as EntityManager,
    principal: null,
    ability: defineAbility([{ role: Role.SYSTEM_ADMIN, unitPath: '0' }]),
    config,
    keys: undefined as unknown as KeySet,
    log: createLogger(config.logLevel),
    ip: 'cli',
    loaderSets: new Map(),
    rateLimiter: { hit: () => ({ allowed: true, retryAfterSeconds: 0 }) } as unknown as RateLimiter,
  };
}
