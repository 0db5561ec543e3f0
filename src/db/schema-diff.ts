import type { MikroORM } from '@mikro-orm/postgresql';

/*
 * What the database has that the entities cannot say, so the entity diff leaves it alone: MikroORM reads an index's
 * INCLUDE columns as key columns and has no way to declare them.
 */
const UNDECLARABLE = [
  // (unit_id, metric, date) INCLUDE (change): series sums from the index alone (migrations/…RollupSeriesCovered).
  /"rollup_change_pkey"/,
];

/** The statements that would bring the database to what the entities describe (empty: nothing missing). */
export async function entityDiff(orm: MikroORM): Promise<string[]> {
  const diff = await orm.getSchemaGenerator().getUpdateSchemaSQL({ wrap: false, safe: false, dropTables: true });
  return diff
    .split(/;\s*\n/)
    .map((s) => s.trim().replace(/;$/, ''))
    .filter((s) => s && !UNDECLARABLE.some((re) => re.test(s)));
}
