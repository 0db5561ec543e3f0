import type { Context } from '../context';
import { NotFoundError, ProblemList } from '../common/errors';
import { localIdOf } from '../common/global-id';
import { ensureCan, scope } from '../common/scoped';
import { todayInVietnam } from '../common/scalars';
import { cleanText } from '../common/text';
import { writeTransaction } from '../common/transaction';
import { audit } from '../audit/audit';
import { allMetrics } from '../metrics/metric.repo';
import { findUnitRow } from '../units/unit.service';
import { checkDay, checkLevel, checkValue } from './progress-rules';
import { writeReports, type ReportWrite } from './progress-write.service';
import { reportsByKeys } from './progress.repo';
import { ProgressReport } from './progress.types';
import type { ReportProgressInput, ReportProgressPayload } from './progress.inputs';

const MAX_NOTE = 1000;

/**
 * Writes one unit's figures as of one day. Idempotent per (unit, metric, day): the same value again
 * changes nothing; a different value is a correction (history + audit). Rollups move in the same transaction.
 */
export async function reportProgress(ctx: Context, input: ReportProgressInput): Promise<ReportProgressPayload> {
  const id = localIdOf('Unit', input.unitId);
  const unit = id === null ? null : await findUnitRow(ctx, id);
  if (!unit) throw new NotFoundError('Unit (unitId)', input.unitId);
  ensureCan(ctx, 'report', 'Progress', { path: unit.path }, 'You may not report progress for this unit.');

  const problems = new ProblemList();
  const catalogue = await allMetrics(ctx.em);
  const byCode = new Map(catalogue.map((m) => [m.code, m]));
  checkDay(problems, ['input', 'asOf'], unit, input.asOf, todayInVietnam());
  const note = input.note == null ? null : cleanText(input.note) || null;
  if (note && note.length > MAX_NOTE) problems.add(['input', 'note'], `note must be at most ${MAX_NOTE} characters.`);
  const reason = input.correctionReason == null ? null : cleanText(input.correctionReason);
  if (reason !== null && (reason.length === 0 || reason.length > MAX_NOTE)) {
    problems.add(['input', 'correctionReason'], `correctionReason must be 1 to ${MAX_NOTE} characters when given.`);
  }
  if (input.values.length === 0) problems.add(['input', 'values'], 'Give at least one value.');

  const writes: ReportWrite[] = [];
  const seen = new Map<string, number>();
  input.values.forEach((v, i) => {
    const path = ['input', 'values', i];
    const metric = byCode.get(v.metric.trim());
    const before = problems.items.length;
    checkValue(problems, [...path, 'value'], v.value);
    if (!metric) return problems.add([...path, 'metric'], `Unknown metric "${v.metric}".`);
    if (seen.has(metric.code)) return problems.add([...path, 'metric'], `${metric.code} is given twice (also at values.${seen.get(metric.code)}).`);
    seen.set(metric.code, i);
    checkLevel(problems, [...path, 'metric'], unit, metric);
    if (problems.items.length === before) {
      writes.push({ unit, metric, asOf: input.asOf, value: v.value, note, reason, allowDecrease: reason !== null, path: [...path, 'value'] });
    }
  });

  const pipeline = catalogue.filter((m) => m.pipelineOrder != null);
  return writeTransaction(ctx, async (em) => {
    const out = await writeReports(ctx, em, writes, pipeline, problems);
    await audit(
      em,
      ctx,
      out.changed.map((c) => ({
        action: c.oldValue === null ? 'progress.report' : 'progress.correct',
        objectType: 'ProgressReport',
        objectId: c.id,
        unitPath: unit.path,
        before: c.oldValue === null ? undefined : { value: c.oldValue },
        after: { unitCode: unit.code, metric: c.write.metric.code, asOf: c.write.asOf, value: c.write.value, reason: c.write.reason },
      })),
    );
    const rows = await reportsByKeys(
      em,
      writes.map((x) => ({ unitId: unit.id, metric: x.metric.code, asOf: x.asOf })),
      scope(ctx, 'read', 'Progress', { path: 'u.path' }),
    );
    return { reports: rows.map(ProgressReport.from), changed: out.changed.length };
  });
}
