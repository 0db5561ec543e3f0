import type { EntityManager } from '@mikro-orm/postgresql';
import type { LockableRows } from '../common/transaction';
import type { MetricRow } from './metric.types';
import { readRows } from '../db/prepared';

const COLUMNS = `code, name_vi as "nameVi", name_en as "nameEn", description, "group", reporting_level as "reportingLevel", pipeline_order as "pipelineOrder"`;

/** The catalogue is public to every signed-in principal: no jurisdiction applies. */
export async function allMetrics(em: EntityManager): Promise<MetricRow[]> {
  return readRows<MetricRow>(em, `select ${COLUMNS} from metric order by "group", pipeline_order nulls last, code`);
}

export async function metricsByCodes(em: EntityManager, codes: readonly string[], lock = ''): Promise<MetricRow[]> {
  if (codes.length === 0) return [];
  return em.execute<MetricRow[]>(`select ${COLUMNS} from metric m where code in (${codes.map(() => '?').join(',')}) ${lock}`, [...codes]);
}

/** Metrics as writes lock them (common/transaction.ts lockedForUpdate); the catalogue has no jurisdiction. */
export const METRIC_ROWS: LockableRows<MetricRow, string> = { name: 'Metric', alias: 'm', byIds: (em, codes, _scope, lock) => metricsByCodes(em, codes, lock) };

/** The catalogue with its version (metric_catalogue moves with every change to `metric`), in one statement. */
export async function versionedMetrics(em: EntityManager): Promise<{ version: number; metrics: MetricRow[] }> {
  const [row] = await em.execute<{ version: string; metrics: MetricRow[] | null }[]>(
    `select c.version::text as version, (select json_agg(m order by m."group", m."pipelineOrder" nulls last, m.code)
                                           from (select ${COLUMNS} from metric) m) as metrics
       from metric_catalogue c`,
  );
  return { version: Number(row.version), metrics: row.metrics ?? [] };
}
