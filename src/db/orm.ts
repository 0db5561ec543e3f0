import { MikroORM, Options } from '@mikro-orm/postgresql';
import { Migrator } from '@mikro-orm/migrations';
import { entities } from './entities';
import { migrationsList } from '../../migrations';
import { currentStatementCount } from './request-scope';

export function ormOptions(clientUrl: string, poolMax = 10): Options {
  return {
    clientUrl,
    entities,
    extensions: [Migrator],
    discovery: { warnWhenNoEntities: true },
    forceUtcTimezone: true,
    pool: { min: 0, max: poolMax },
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

export async function openOrm(clientUrl: string, poolMax = 10): Promise<MikroORM> {
  const orm = await MikroORM.init(ormOptions(clientUrl, poolMax));
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
