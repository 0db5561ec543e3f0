import { randomUUID } from 'node:crypto';
import type { EntityManager, MikroORM } from '@mikro-orm/postgresql';
import type { Logger } from 'pino';
import type { Config } from '../config';
import type { Context } from '../context';
import { defineAbility } from '../auth/ability';
import { Role } from '../auth/roles';

/**
 * A Context for jobs run by operators (CLI imports): no principal (audit entries carry principal null,
 * "system"), the SYSTEM_ADMIN ability, a fresh EntityManager. Never built from a request.
 */
export function systemContext(orm: MikroORM, config: Config, log: Logger, job: string): Context {
  return {
    requestId: `${job}:${randomUUID()}`,
    em: orm.em.fork() as EntityManager,
    principal: null,
    ability: defineAbility([{ role: Role.SYSTEM_ADMIN, unitPath: '0' }]),
    config,
    // Jobs sign no tokens.
    keys: null as never,
    log: log.child({ job }),
    ip: 'local',
    loaderSets: new Map(),
  };
}
