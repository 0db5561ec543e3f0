import type { Context } from '../context';
import { BadUserInputError, ProblemList } from '../common/errors';
import { scope } from '../common/scoped';
import { todayInVietnam } from '../common/scalars';
import { writeTransaction } from '../common/transaction';
import { audit } from '../audit/audit';
import { allMetrics } from '../metrics/metric.repo';
import { unitsByCodes } from '../units/unit.repo';
import { checkDay, checkLevel, checkValue } from './progress-rules';
import { writeReports, type ReportWrite } from './progress-write.service';
import type { ImportProgressInput, ImportProgressPayload } from './progress.inputs';

export const MAX_IMPORT_ROWS = 10_000;

/**
 * Imports report rows: atomic (every row or none), set-based (a fixed number of statements whatever the
 * number of rows), idempotent (rows already stored with the same value change nothing). Every rejected row
 * is reported with its 1-based row number. Rows never lower a cumulative total (corrections go through
 * reportProgress with a reason).
 */
export async function importProgress(ctx: Context, input: ImportProgressInput): Promise<ImportProgressPayload> {
  const rows = input.rows;
  const dryRun = input.dryRun ?? false;
  if (rows.length > MAX_IMPORT_ROWS) throw BadUserInputError.field(['input', 'rows'], `At most ${MAX_IMPORT_ROWS} rows per import (got ${rows.length}); split the file.`);
  const problems = new ProblemList();
  // Units the caller may report for, by code, in one query: anything else is "unknown" (never "forbidden").
  const codes = [...new Set(rows.map((r) => r.unitCode.trim()))];
  const units = new Map((await unitsByCodes(ctx.em, codes, scope(ctx, 'report', 'Progress', { path: 'u.path' }))).map((u) => [u.code, u]));
  const catalogue = await allMetrics(ctx.em);
  const metrics = new Map(catalogue.map((m) => [m.code, m]));
  const today = todayInVietnam();

  const writes: ReportWrite[] = [];
  const firstRowOf = new Map<string, { row: number; value: number }>();
  rows.forEach((r, i) => {
    const row = i + 1;
    const path = ['input', 'rows', i];
    const before = problems.items.length;
    const unit = units.get(r.unitCode.trim());
    const metric = metrics.get(r.metric.trim());
    if (!unit) problems.add([...path, 'unitCode'], `Row ${row}: unknown unit code "${r.unitCode}" (or outside your jurisdiction).`, row);
    if (!metric) problems.add([...path, 'metric'], `Row ${row}: unknown metric "${r.metric}".`, row);
    checkValue(problems, [...path, 'value'], r.value, row);
    if (unit) checkDay(problems, [...path, 'asOf'], unit, r.asOf, today, row);
    if (unit && metric) checkLevel(problems, [...path, 'metric'], unit, metric, row);
    if (problems.items.length > before || !unit || !metric) return;
    const key = `${unit.id}|${metric.code}|${r.asOf}`;
    const first = firstRowOf.get(key);
    if (first) {
      if (first.value !== r.value) problems.add([...path, 'value'], `Row ${row}: ${r.unitCode} ${metric.code} ${r.asOf} is already given as ${first.value} at row ${first.row}.`, row);
      return;
    }
    firstRowOf.set(key, { row, value: r.value });
    writes.push({ unit, metric, asOf: r.asOf, value: r.value, note: null, reason: null, allowDecrease: false, path: [...path, 'value'], row });
  });

  const pipeline = catalogue.filter((m) => m.pipelineOrder != null);
  return writeTransaction(ctx, async (em) => {
    const out = await writeReports(ctx, em, writes, pipeline, problems, dryRun);
    const result = { rows: rows.length, changed: out.changed.length, unchanged: rows.length - out.changed.length, dryRun };
    if (!dryRun && out.changed.length > 0) {
      await audit(em, ctx, [{ action: 'progress.import', objectType: 'ProgressReport', unitPath: commonPath(writes.map((x) => x.unit.path)), after: result }]);
    }
    return result;
  });
}

/** The deepest unit containing every path (so the audit entry is visible to those who oversee them all). */
function commonPath(paths: string[]): string | null {
  if (paths.length === 0) return null;
  let common = paths[0].split('.');
  for (const p of paths) {
    const parts = p.split('.');
    let n = 0;
    while (n < common.length && n < parts.length && common[n] === parts[n]) n++;
    common = common.slice(0, n);
  }
  return common.length ? common.join('.') : null;
}
