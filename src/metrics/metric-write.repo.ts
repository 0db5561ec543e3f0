import type { EntityManager } from '@mikro-orm/postgresql';
import type { MetricRow } from './metric.types';

/** Writes to the catalogue. Callers have checked the caller's power (SYSTEM_ADMIN). */

const RETURNING = `code, name_vi as "nameVi", name_en as "nameEn", description, "group", reporting_level as "reportingLevel", pipeline_order as "pipelineOrder"`;

export async function insertMetric(em: EntityManager, m: MetricRow): Promise<MetricRow> {
  const [row] = await em.execute<MetricRow[]>(
    `insert into metric (code, name_vi, name_en, description, "group", reporting_level, pipeline_order, created_at)
     values (?, ?, ?, ?, ?, ?, ?, now()) returning ${RETURNING}`,
    [m.code, m.nameVi, m.nameEn, m.description, m.group, m.reportingLevel, m.pipelineOrder],
  );
  return row;
}

export async function updateMetricTexts(em: EntityManager, code: string, t: { nameVi: string; nameEn: string; description: string }): Promise<MetricRow> {
  const [row] = await em.execute<MetricRow[]>(
    `update metric set name_vi = ?, name_en = ?, description = ? where code = ? returning ${RETURNING}`,
    [t.nameVi, t.nameEn, t.description, code],
  );
  return row;
}
