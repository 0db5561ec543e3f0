import type { Context } from '../context';
import { ConflictError, NotFoundError, ProblemList } from '../common/errors';
import { localIdOf } from '../common/global-id';
import { ensureCan } from '../common/scoped';
import { todayInVietnam } from '../common/scalars';
import { cleanText } from '../common/text';
import { retryingConflicts } from '../common/transaction';
import { appMetrics } from '../observability/metrics';
import { metricCatalogue, reloadedMetricCatalogue, type MetricCatalogue } from '../metrics/metric-catalogue';
import { reportingUnit } from './reporting-units';
import { checkDay, checkLevel, checkValue, type ReportUnit } from './progress-rules';
import { advanceAndNotify, writeReport, type ReportWriteRow } from './report-write.repo';
import { ProgressReport } from './progress.types';
import { markNothingChanged, markVersionAdvanced } from '../cache/version-marks';
import type { ReportProgressInput, ReportProgressPayload } from './progress.inputs';

const MAX_NOTE = 1000;

/** Attempts at a report whose unit keeps changing under it (a restructuring at that very moment) before giving up. */
const STALE_UNIT_ATTEMPTS = 3;

/**
 * Writes one unit's figures as of one day. Idempotent per (unit, metric, day): the same value again
 * changes nothing; a different value is a correction (history + audit). Rollups move in the same transaction.
 * Two statements: the principal, and progress_report_write_stamped (the unit as kept by this process still stands,
 * then checks against stored data and every write in one call; an identical repeat takes no lock there); a write
 * then advances the data version and sends its live-figures notices in one more. The unit is read first only when
 * this process has not kept it (reporting-units.ts) or it changed since.
 */
export async function reportProgress(ctx: Context, input: ReportProgressInput): Promise<ReportProgressPayload> {
  const id = localIdOf('Unit', input.unitId);
  let catalogue = await metricCatalogue(ctx.em);
  if (input.values.some((v) => !catalogue.byCode.has(v.metric.trim()))) catalogue = await reloadedMetricCatalogue(ctx.em);
  const note = input.note == null ? null : cleanText(input.note) || null;
  const reason = input.correctionReason == null ? null : cleanText(input.correctionReason);

  const stopTimer = appMetrics()?.rollupWrite.startTimer();
  try {
    for (let staleUnits = 0; ; ) {
      const unit = id === null ? null : await reportingUnit(ctx, id, staleUnits > 0);
      if (!unit) throw new NotFoundError('Unit (unitId)', input.unitId);
      ensureCan(ctx, 'report', 'Progress', { path: unit.path }, 'You may not report progress for this unit.');
      const metrics = checkInput(input, unit, catalogue, note, reason);
      const rows = await retryingConflicts(ctx, () =>
        writeReport(ctx.em, {
          unitId: unit.id, unitStamp: unit.stamp, asOf: input.asOf, metrics, values: input.values.map((v) => v.value), note, reason,
          principalId: ctx.principal?.id ?? null, requestId: ctx.requestId ?? null, catalogueVersion: catalogue.version,
        }),
      );
      if (rows[0]?.idx === -2) {
        if (++staleUnits < STALE_UNIT_ATTEMPTS) continue;
        throw new ConflictError('The unit changed while the report was being written; send it again.');
      }
      if (rows[0]?.idx === -1) {
        catalogue = await reloadedMetricCatalogue(ctx.em);
        continue;
      }
      const result = payload(rows, unit, input.asOf);
      if (result.changed === 0) markNothingChanged(ctx);
      else {
        // Once the write has committed: the data version, then the live-figures notices (see advanceAndNotify).
        // The figures are stored whatever happens here: a failure is logged (the plugin then advances the version).
        await advanceAndNotify(ctx.em, rows[0]?.notify ?? null).then(
          () => markVersionAdvanced(ctx),
          (err: unknown) => ctx.log.warn({ err }, 'data version or live figures not sent after a report'),
        );
      }
      return result;
    }
  } finally {
    stopTimer?.();
  }
}

/** The checks that need no stored data; throws BAD_USER_INPUT with every problem. Returns the metric codes. */
function checkInput(input: ReportProgressInput, unit: ReportUnit, catalogue: MetricCatalogue, note: string | null, reason: string | null): string[] {
  const problems = new ProblemList();
  checkDay(problems, ['input', 'asOf'], unit, input.asOf, todayInVietnam());
  if (note && note.length > MAX_NOTE) problems.add(['input', 'note'], `note must be at most ${MAX_NOTE} characters.`);
  if (reason !== null && (reason.length === 0 || reason.length > MAX_NOTE)) {
    problems.add(['input', 'correctionReason'], `correctionReason must be 1 to ${MAX_NOTE} characters when given.`);
  }
  if (input.values.length === 0) problems.add(['input', 'values'], 'Give at least one value.');
  const seen = new Map<string, number>();
  const codes = input.values.map((v, i) => {
    const path = ['input', 'values', i];
    const metric = catalogue.byCode.get(v.metric.trim());
    checkValue(problems, [...path, 'value'], v.value);
    if (!metric) problems.add([...path, 'metric'], `Unknown metric "${v.metric}".`);
    else if (seen.has(metric.code)) problems.add([...path, 'metric'], `${metric.code} is given twice (also at values.${seen.get(metric.code)}).`);
    else {
      seen.set(metric.code, i);
      checkLevel(problems, [...path, 'metric'], unit, metric);
    }
    return metric?.code ?? v.metric;
  });
  problems.throwIfAny('Some values cannot be reported; nothing was written.');
  return codes;
}

function payload(rows: ReportWriteRow[], unit: ReportUnit, asOf: string): ReportProgressPayload {
  const problems = new ProblemList();
  for (const r of rows) if (r.problem !== null) problems.add(['input', 'values', r.idx!, 'value'], r.problem);
  problems.throwIfAny('Some values cannot be reported; nothing was written.');
  return {
    reports: rows.map((r) =>
      ProgressReport.from({ id: r.reportId!, unitId: unit.id, unitCode: unit.code, metric: r.metric, asOf, value: r.value, note: r.note, reportedAt: r.reportedAt }),
    ),
    changed: rows.filter((r) => r.changed).length,
  };
}
