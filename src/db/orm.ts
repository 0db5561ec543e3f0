import { MikroORM, Options } from '@mikro-orm/postgresql';
import { Migrator } from '@mikro-orm/migrations';
import { entities } from './entities';
import { migrationsList } from '../../migrations';
import { currentStatementCount } from './request-scope';
import { guardedOrmOptions, type DatabaseGuards } from './guards';

/** `guards`: bound every wait (the API); without them (migrations, command-line tools) statements may run long. */
export function ormOptions(clientUrl: string, poolMax = 10, guards?: DatabaseGuards): Options {
  const guarded = guards ? guardedOrmOptions(guards) : undefined;
  return {
    clientUrl,
    entities,
    extensions: [Migrator],
    discovery: { warnWhenNoEntities: true },
    forceUtcTimezone: true,
    pool: { min: 0, max: poolMax, ...guarded?.pool },
    ...(guarded ? { driverOptions: guarded.driverOptions } : {}),
    allowGlobalContext: false,
    debug: false,
    migrations: {
      migrationsList,
      path: 'migrations',
      pathTs: 'migrations',
      emit: 'ts',
      snapshot: false,
      transactional: true,
      allOrNothing: true,
      disableForeignKeys: false,
      silent: true,
    },
  };
}

export async function openOrm(clientUrl: string, poolMax = 10, guards?: DatabaseGuards): Promise<MikroORM> {
  const orm = await MikroORM.init(ormOptions(clientUrl, poolMax, guards));
  const knex = orm.em.getConnection().getKnex();
  knex.on('query', () => {
    const counter = currentStatementCount();
    if (counter) counter.sqlStatements++;
  });
  return orm;
}

export async function migrate(orm: MikroORM): Promise<string[]> {
  const applied = await orm.getMigrator().up();
  return applied.map((m) => m.name);
}
