import type { MikroORM, EntityManager } from '@mikro-orm/postgresql';
import type { Config } from '../src/config';
import { seedDemoUnits } from './demo-units';

/**
 * Loads the demo data of DOMAIN.md (idempotent) and returns what to print at startup.
 * Features add their demo data here.
 */
export async function seedDemo(orm: MikroORM, _config: Config): Promise<string> {
  const em = orm.em.fork() as EntityManager;
  const units = await em.transactional((tx) => seedDemoUnits(tx as EntityManager));
  return `Demo data loaded (${units.created} new units).`;
}
