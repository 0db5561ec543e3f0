import type { EntityManager } from '@mikro-orm/postgresql';
import { BUMP_DATA_VERSION_EXPR } from '../cache/data-version.repo';
import { pgArray, queryPrepared, readRows } from '../db/prepared';
import type { Scope } from '../common/scoped';
import { UNIT_COLUMNS, type UnitRow } from '../units/unit.repo';

/** A unit as reports are checked against it, with its stamp (admin_unit_stamp, migrations/…WriterUnitStamp). */
export interface ReportingUnitRow extends UnitRow {
  stamp: string;
}

/** Units by id within `scope` (over `u`), with their stamps. */
export function reportingUnitRows(em: EntityManager, ids: readonly number[], scope: Scope): Promise<ReportingUnitRow[]> {
  return readRows(em, `select ${UNIT_COLUMNS}, admin_unit_stamp(u) as stamp from admin_unit u where u.id = any(?::int[]) and ${scope.sql}`, [
    pgArray(ids), ...scope.bindings,
  ]);
}

/**
 * One reportProgress call, as progress_report_write (migrations/…ProgressWriter) takes it, behind the check that the
 * unit still stands as `unitStamp` says (progress_report_write_stamped).
 */
export interface ReportWriteCall {
  unitId: number;
  unitStamp: string;
  asOf: string;
  metrics: readonly string[];
  values: readonly number[];
  note: string | null;
  reason: string | null;
  principalId: number | null;
  requestId: string | null;
  catalogueVersion: number;
}

/** A problem (idx = position in the input; -1: stale catalogue; -2: stale unit) or one of the input's reports as stored now. */
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
  return queryPrepared<ReportWriteRow>(em, 'progress_report_write_stamped', WRITE_REPORT, [
    c.unitId, c.unitStamp, c.asOf, pgArray(c.metrics), pgArray(c.values), c.note, c.reason, c.principalId, c.requestId, c.catalogueVersion,
  ]);
}

// Every report runs these two: prepared once per connection (db/prepared.ts).
const WRITE_REPORT = `select idx, problem, report_id::text as "reportId", metric, value::float8 as value, note,
        to_json(reported_at) #>> '{}' as "reportedAt", changed, notify
   from progress_report_write_stamped($1::int, $2::text, $3::date, $4::text[], $5::bigint[], $6::text, $7::text, $8::int, $9::text, $10::bigint)`;
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
