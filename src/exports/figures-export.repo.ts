import type { EntityManager } from '@mikro-orm/postgresql';
import type { SqlCondition } from '../auth/ability-to-sql';

export interface ExportRow {
  id: number;
  code: string;
  name: string;
  parent_code: string | null;
  /** Figures in the order of the metrics asked for. */
  vals: (string | number)[];
}

const CURSOR = 'vneid_figures_export';

/**
 * Streams every unit of `level` in the caller's jurisdiction (`scope` over alias `u`) that exists on `asOf`,
 * by code, with its figure of each metric as of that day (the sum of its rollup changes up to it: one index
 * range per unit and metric), through a server-side cursor: `onBatch` gets `batchRows` rows at a time and the
 * next batch is fetched only when it resolves, so memory stays bounded whatever the size of the export.
 * Runs in its own read-only transaction (one snapshot for the whole file).
 */
export async function streamFigures(
  em: EntityManager,
  q: { level: string; asOf: string; metrics: string[]; batchRows: number },
  scope: SqlCondition,
  onBatch: (rows: ExportRow[]) => Promise<boolean>,
): Promise<number> {
  let total = 0;
  await em.transactional(async (tx) => {
    await tx.execute('set transaction read only');
    await tx.execute(
      `declare ${CURSOR} no scroll cursor for
       select u.id, u.code, u.name, p.code as parent_code,
              array(select coalesce((select sum(c.change) from rollup_change c where c.unit_id = u.id and c.metric = m.metric and c.date <= ?::date), 0)::bigint
                      from jsonb_array_elements_text(?::jsonb) with ordinality as m(metric, ord) order by m.ord) as vals
         from admin_unit u left join admin_unit p on p.id = u.parent_id
        where u.level = ? and u.valid_from <= ?::date and (u.valid_to is null or u.valid_to >= ?::date) and ${scope.sql}
        order by u.code`,
      [q.asOf, JSON.stringify(q.metrics), q.level, q.asOf, q.asOf, ...scope.bindings],
    );
    for (;;) {
      const rows = await tx.execute<ExportRow[]>(`fetch ${Math.trunc(q.batchRows)} from ${CURSOR}`);
      if (rows.length === 0) break;
      total += rows.length;
      if (!(await onBatch(rows))) break;
      if (rows.length < q.batchRows) break;
    }
    await tx.execute(`close ${CURSOR}`);
  });
  return total;
}
