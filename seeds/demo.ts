import type { MikroORM, EntityManager } from '@mikro-orm/postgresql';
import type { Config } from '../src/config';
import { seedDemoUnits } from './demo-units';
import { seedDemoAccounts } from './demo-accounts';
import { seedDemoCampaigns } from './demo-campaigns';
import { seedDemoProgress } from './demo-progress';
import { seedDemoTeams } from './demo-teams';
import { inTransaction } from '../src/common/transaction';

/**
 * Loads the demo data of DOMAIN.md (idempotent) and returns what to print at startup.
 * Features add their demo data here.
 */
export async function seedDemo(orm: MikroORM, config: Config, url?: string): Promise<string> {
  const em = orm.em.fork() as EntityManager;
  const units = await inTransaction(em, seedDemoUnits);
  await inTransaction(em, seedDemoCampaigns);
  await inTransaction(em, seedDemoProgress);
  await inTransaction(em, seedDemoTeams);
  const accounts = await inTransaction(em, (tx) => seedDemoAccounts(tx, url ?? `http://localhost:${config.port}/graphql`));
  return `Demo data loaded (${units.created} new units).\n${accounts}`;
}
