import 'reflect-metadata';
import { bumpDataVersion } from '../cache/data-version.repo';
import type { EntityManager } from '@mikro-orm/postgresql';
import { openCliDatabase, runCli } from './database';
import { seedNationalUnits } from '../../seeds/national-units';

/** npm run seed:national -- [--scale 0.5]: the 63 provinces × 11 × 15 × 9 synthetic tree (≈105,000 units). */
runCli(async () => {
  const i = process.argv.indexOf('--scale');
  const scale = i > 0 ? Number(process.argv[i + 1]) : 1;
  if (!(scale > 0 && scale <= 10)) throw new Error('--scale must be a number between 0 and 10');
  const db = await openCliDatabase();
  try {
    const em = db.orm.em.fork() as EntityManager;
    const r = await em.transactional((tx) => seedNationalUnits(tx as EntityManager, { scale, log: (m) => console.log(m) }));
    await bumpDataVersion(em);
    console.log(`National tree: ${r.provinces} provinces, ${r.districts} districts, ${r.communes} communes, ${r.hamlets} hamlets in ${r.ms} ms.`);
  } finally {
    await db.close();
  }
});
