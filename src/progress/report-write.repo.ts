import type { EntityManager } from '@mikro-orm/postgresql';
import { BUMP_DATA_VERSION_EXPR } from '../cache/data-version.repo';
import { pgArray, queryPrepared } from '../db/prepared';

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
  /**
   * On the first row of a write: the live-figures payloads as a PostgreSQL text[] literal, for advanceAndNotify once
   * the write has committed (passed back as it came, never parsed here); null on other rows and when nothing changed.
   */
  notify: string | null;
}


/**
 * Checks and writes one report (report rows, history, rollups, audit) in a single statement: its own transaction.
 * Callers have checked jurisdiction, the unit's life, the reporting level and each value on its own.
 */
export function writeReport(em: EntityManager, c: ReportWriteCall): Promise<ReportWriteRow[]> {
  return queryPrepared<ReportWriteRow>(em, 'progress_report_write', WRITE_REPORT, [
    c.unitId, c.asOf, pgArray(c.metrics), pgArray(c.values), c.note, c.reason, c.principalId, c.requestId, c.catalogueVersion,
  ]);
}

// Every report runs these two: prepared once per connection (db/prepared.ts).
const WRITE_REPORT = `select idx, problem, report_id::text as "reportId", metric, value::float8 as value, note,
        to_json(reported_at) #>> '{}' as "reportedAt", changed, notify
   from progress_report_write($1::int, $2::date, $3::text[], $4::bigint[], $5::text, $6::text, $7::int, $8::text, $9::bigint)`;
const ADVANCE_AND_NOTIFY = `select ${BUMP_DATA_VERSION_EXPR} as version,
        (select count(pg_notify('vneid_unit_figures', p)) from unnest($1::text[]) as p) as notices`;

/**
 * After a write has committed: advances the data version (src/cache) and sends the write's live-figures payloads
 * (the `notify` literal of its first row; channel vneid_unit_figures, as the rollup_change trigger sends them for
 * other writers), in one statement. Its transaction writes no WAL, so it holds PostgreSQL's global notify lock only
 * while queueing, not through a commit's disk flush (migrations/…FiguresAfterCommit). The version moves before the notices are delivered (at
 * this statement's end), so a listener that reads on a notice never gets an answer cached before the write.
 */
export async function advanceAndNotify(em: EntityManager, payloads: string | null): Promise<void> {
  await queryPrepared(em, 'advance_and_notify', ADVANCE_AND_NOTIFY, [payloads ?? '{}']);
}
