import type { EntityManager } from '@mikro-orm/postgresql';

/** One reportProgress call, as progress_report_write (migrations/…ProgressWriter) takes it. */
export interface ReportWriteCall {
  unitId: number;
  asOf: string;
  metrics: readonly string[];
  values: readonly number[];
  note: string | null;
  reason: string | null;
  principalId: number | null;
  requestId: string | null;
  catalogueVersion: number;
}

/** A problem (idx = position in the input; -1: stale catalogue) or one of the input's reports as stored now. */
export interface ReportWriteRow {
  idx: number | null;
  problem: string | null;
  reportId: string | null;
  metric: string;
  value: number;
  note: string | null;
  reportedAt: string;
  changed: boolean;
}

/** A PostgreSQL array literal (knex would expand a JS array into a list of bindings). */
export const pgArray = (items: readonly (string | number)[]): string =>
  `{${items.map((x) => (typeof x === 'number' ? String(x) : `"${x.replace(/["\\]/g, '\\$&')}"`)).join(',')}}`;

/**
 * Checks and writes one report (report rows, history, rollups, audit) in a single statement: its own transaction.
 * Callers have checked jurisdiction, the unit's life, the reporting level and each value on its own.
 */
export function writeReport(em: EntityManager, c: ReportWriteCall): Promise<ReportWriteRow[]> {
  return em.execute<ReportWriteRow[]>(
    `select idx, problem, report_id::text as "reportId", metric, value::float8 as value, note,
            to_json(reported_at) #>> '{}' as "reportedAt", changed
       from progress_report_write(?::int, ?::date, ?::text[], ?::bigint[], ?::text, ?::text, ?::int, ?::text, ?::bigint)`,
    [c.unitId, c.asOf, pgArray(c.metrics), pgArray(c.values), c.note, c.reason, c.principalId, c.requestId, c.catalogueVersion],
  );
}
