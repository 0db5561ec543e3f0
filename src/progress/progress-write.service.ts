import { appMetrics } from '../observability/metrics';
import type { EntityManager } from '@mikro-orm/postgresql';
import type { Context } from '../context';
import { ProblemList } from '../common/errors';
import type { MetricRow } from '../metrics/metric.types';
import { planSeries, spreadToAncestors, type SeriesPlan, type SpreadSeries } from './rollup-plan';
import { isCumulative, where, type ReportUnit } from './progress-rules';
import * as w from './progress-write.repo';

/** One value to write, already checked on its own (value, day, level); `path`/`row` locate it in the input. */
export interface ReportWrite {
  unit: ReportUnit;
  metric: MetricRow;
  asOf: string;
  value: number;
  note: string | null;
  reason: string | null;
  /** A decrease against the previous report is allowed (a correction with a reason). */
  allowDecrease: boolean;
  path: (string | number)[];
  row?: number;
}

export interface WrittenReport {
  id: string;
  write: ReportWrite;
  oldValue: number | null;
}

export interface WriteOutcome {
  changed: WrittenReport[];
  unchanged: number;
}

const seriesKey = (unitId: number, metric: string) => `${unitId}|${metric}`;

/**
 * Writes reports with their history and rollups, set-based, inside the caller's transaction:
 * lock the series, read their windows, check the rules that need stored data (decreases, pipeline order),
 * then upsert reports, history and rollups in a handful of statements whatever the number of rows.
 * Throws BAD_USER_INPUT with every problem (the caller's, found before, and these) before writing anything.
 * `dryRun` stops after the checks.
 */
export async function writeReports(
  ctx: Pick<Context, 'principal' | 'requestId'>,
  em: EntityManager,
  writes: readonly ReportWrite[],
  pipeline: readonly MetricRow[],
  problems: ProblemList,
  dryRun = false,
): Promise<WriteOutcome> {
  const stopTimer = appMetrics()?.rollupWrite.startTimer();
  try {
    return await writeReportsNow(ctx, em, writes, pipeline, problems, dryRun);
  } finally {
    stopTimer?.();
  }
}

async function writeReportsNow(
  ctx: Pick<Context, 'principal' | 'requestId'>,
  em: EntityManager,
  writes: readonly ReportWrite[],
  pipeline: readonly MetricRow[],
  problems: ProblemList,
  dryRun: boolean,
): Promise<WriteOutcome> {
  const bySeries = new Map<string, ReportWrite[]>();
  for (const wr of writes) {
    const key = seriesKey(wr.unit.id, wr.metric.code);
    const list = bySeries.get(key);
    if (list) list.push(wr);
    else bySeries.set(key, [wr]);
  }
  const pipelineUnits = new Set(writes.filter((x) => x.metric.pipelineOrder != null).map((x) => x.unit.id));
  await w.lockSeries(em, [
    ...[...bySeries.values()].map((ws) => ({ unitId: ws[0].unit.id, metric: ws[0].metric.code })),
    ...[...pipelineUnits].flatMap((unitId) => pipeline.map((m) => ({ unitId, metric: m.code }))),
  ]);

  const paths = await w.currentPaths(em, [...new Set(writes.map((x) => x.unit.id))]);

  const ranges = [...bySeries.values()].map((ws) => {
    const days = ws.map((x) => x.asOf).sort();
    return { unitId: ws[0].unit.id, metric: ws[0].metric.code, lo: days[0], hi: days[days.length - 1] };
  });
  const windows = new Map<string, w.WindowRow[]>();
  for (const row of await w.seriesWindows(em, ranges)) {
    const key = seriesKey(row.unitId, row.metric);
    const list = windows.get(key);
    if (list) list.push(row);
    else windows.set(key, [row]);
  }
  const plans = new Map<string, SeriesPlan>();
  for (const [key, ws] of bySeries) plans.set(key, planSeries(windows.get(key) ?? [], ws));

  for (const [key, ws] of bySeries) {
    const plan = plans.get(key)!;
    for (const x of ws) {
      const prev = plan.previousOf(x.asOf);
      if (isCumulative(x.metric) && !x.allowDecrease && x.value < prev) {
        problems.add(x.path, `${where(x.row)}${x.metric.code} is a cumulative total: ${x.value} is lower than the previous report (${prev}); give a correctionReason to lower it.`, x.row);
      }
    }
  }
  await checkPipeline(em, writes, pipeline, problems);
  problems.throwIfAny('Some values cannot be reported; nothing was written.');

  const changed: WrittenReport[] = [];
  let unchanged = 0;
  const spread: SpreadSeries[] = [];
  for (const [key, ws] of bySeries) {
    const plan = plans.get(key)!;
    unchanged += plan.unchanged.length;
    for (const c of plan.changed) changed.push({ id: '', write: ws.find((x) => x.asOf === c.asOf)!, oldValue: c.oldValue });
    if (plan.changed.length) spread.push({ path: paths.get(ws[0].unit.id) ?? ws[0].unit.path, metric: ws[0].metric.code, deltas: plan.deltas, touchedDays: plan.changed.map((c) => c.asOf) });
  }
  if (dryRun || changed.length === 0) return { changed, unchanged };

  const principalId = ctx.principal?.id ?? null;
  const ids = await w.upsertReports(
    em,
    changed.map((c) => ({ unitId: c.write.unit.id, metric: c.write.metric.code, asOf: c.write.asOf, value: c.write.value, note: c.write.note })),
    principalId,
  );
  const idOf = new Map(ids.map((r) => [`${r.unitId}|${r.metric}|${r.asOf}`, r.id]));
  for (const c of changed) c.id = idOf.get(`${c.write.unit.id}|${c.write.metric.code}|${c.write.asOf}`)!;
  await w.insertHistory(
    em,
    changed.map((c) => ({
      reportId: c.id, unitId: c.write.unit.id, metric: c.write.metric.code, asOf: c.write.asOf, oldValue: c.oldValue, newValue: c.write.value, reason: c.write.reason,
    })),
    principalId,
    ctx.requestId ?? null,
  );
  const { changes, totals } = spreadToAncestors(spread);
  await w.applyRollups(em, changes, totals);
  return { changed, unchanged };
}

/**
 * collected ≥ approved ≥ activated for each written (unit, day), against the unit's other pipeline values
 * effective that day: the latest report on or before it, stored or in this batch (the batch wins a tie).
 */
async function checkPipeline(em: EntityManager, writes: readonly ReportWrite[], pipeline: readonly MetricRow[], problems: ProblemList): Promise<void> {
  const pipelineWrites = writes.filter((x) => x.metric.pipelineOrder != null);
  if (pipelineWrites.length === 0) return;
  const orderOf = new Map(pipeline.map((m) => [m.code, m.pipelineOrder!]));
  const stored = new Map<string, w.EffectiveRow[]>();
  for (const r of await w.pipelineValuesAt(em, pipelineWrites.map((x) => ({ unitId: x.unit.id, day: x.asOf })))) {
    const key = `${r.unitId}|${r.day}`;
    stored.set(key, [...(stored.get(key) ?? []), r]);
  }
  const batch = new Map<string, ReportWrite[]>();
  for (const x of pipelineWrites) {
    const key = seriesKey(x.unit.id, x.metric.code);
    batch.set(key, [...(batch.get(key) ?? []), x]);
  }
  const seen = new Set<string>();
  for (const x of pipelineWrites) {
    const dayKey = `${x.unit.id}|${x.asOf}`;
    if (seen.has(dayKey)) continue;
    seen.add(dayKey);
    const effective: { code: string; order: number; value: number; write?: ReportWrite }[] = [];
    for (const m of pipeline) {
      const s = (stored.get(dayKey) ?? []).find((r) => r.metric === m.code);
      let own: ReportWrite | undefined;
      for (const y of batch.get(seriesKey(x.unit.id, m.code)) ?? []) if (y.asOf <= x.asOf && (!own || y.asOf > own.asOf)) own = y;
      if (own && (!s || own.asOf >= s.asOf)) effective.push({ code: m.code, order: orderOf.get(m.code)!, value: own.value, write: own.asOf === x.asOf ? own : undefined });
      else if (s) effective.push({ code: m.code, order: orderOf.get(m.code)!, value: s.value });
    }
    for (const a of effective) {
      for (const b of effective) {
        if (a.order >= b.order || a.value >= b.value) continue;
        // a comes earlier in the pipeline yet holds less than b: blame the value written in this batch.
        const target = b.write ?? a.write;
        if (!target) continue;
        problems.add(
          target.path,
          `${where(target.row)}on ${x.asOf} ${b.code} (${b.value}) would exceed ${a.code} (${a.value}) for unit ${x.unit.code}; the pipeline is collected ≥ approved ≥ activated.`,
          target.row,
        );
      }
    }
  }
}
