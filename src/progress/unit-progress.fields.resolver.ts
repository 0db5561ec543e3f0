import { Arg, Args, Ctx, FieldResolver, Resolver, Root } from 'type-graphql';
import type { Context } from '../context';
import { loaders } from '../context';
import { BadUserInputError } from '../common/errors';
import type { SelectedField } from '../common/lookahead';
import { toConnection, toPage } from '../common/pagination';
import { DateScalar, todayInVietnam } from '../common/scalars';
import { addDays, daysBetween } from '../common/dates';
import { MetricType, type MetricRow } from '../metrics/metric.types';
import { Unit } from '../units/unit.types';
import { createProgressLoaders, type ProgressLoaders } from './progress.loaders';
import type { WindowSum } from './progress.repo';
import { ProgressHistoryArgs } from './progress.inputs';
import { ProgressFigure, ProgressHistoryConnection, ProgressHistoryEntry, ProgressPoint, ReasonFigure } from './progress.types';

export const MAX_SERIES_DAYS = 400;


/** Checks a metric code against the catalogue (the process's copy, alongside the figures). */
async function checkMetric(ctx: Context, code: string, field: string): Promise<MetricRow> {
  const metric = await loaders(ctx, createProgressLoaders).knownMetric(code);
  if (!metric) throw BadUserInputError.field([field], `Unknown metric "${code}".`);
  return metric;
}

const figureKey = (unitId: number, metric: string, day: string) => `${unitId}|${metric}|${day}`;

function figureOf(l: ProgressLoaders, unit: Unit, metric: MetricRow, day: string, sum: WindowSum | null): ProgressFigure | null {
  if (!sum) return null;
  const figure = new ProgressFigure();
  figure.metric = metric.code;
  figure.asOf = day;
  figure.value = sum.value;
  figure.reportedUnits = sum.reporters;
  figure.lastReportAtText = sum.lastReportAt;
  let counted: Promise<number> | undefined;
  figure.countReportingUnits = () => (counted ??= l.reportingUnits.load({ unitId: unit.dbId, path: unit.path, metric: metric.code, asOf: day }));
  return figure;
}

/**
 * Loads the figures of units for a metric into the loaders' figures (those not there yet): one statement for the
 * calls of a tick. Returns the metric, or undefined when the code is unknown (then nothing is kept).
 */
async function loadFigures(ctx: Context, units: readonly Unit[], code: string, asOf: string | null): Promise<MetricRow | undefined> {
  const l = loaders(ctx, createProgressLoaders);
  const today = todayInVietnam();
  const wanted: { unit: Unit; day: string; key: string }[] = [];
  for (const unit of units) {
    const day = asOf ?? unit.asOf ?? today;
    const key = figureKey(unit.dbId, code, day);
    if (!l.figures.has(key)) wanted.push({ unit, day, key });
  }
  if (wanted.length === 0) return l.knownMetric(code);
  const [metric, sums] = await Promise.all([
    l.knownMetric(code),
    l.windowPages.load(wanted.map((w) => ({ unitId: w.unit.dbId, metric: code, from: null, to: w.day }))),
  ]);
  if (metric) wanted.forEach((w, i) => l.figures.set(w.key, figureOf(l, w.unit, metric, w.day, sums[i])));
  return metric;
}

/**
 * A unit's figure of a metric (Unit.progress): batched with the other units' in one statement; synchronous when
 * loaded ahead for its page (units/unit-prefetch.ts).
 */
export function progressFigure(ctx: Context, unit: Unit, metricCode: string, asOf: string | null): ProgressFigure | null | Promise<ProgressFigure | null> {
  const figures = loaders(ctx, createProgressLoaders).figures;
  const key = figureKey(unit.dbId, metricCode, asOf ?? unit.asOf ?? todayInVietnam());
  const ready = figures.get(key);
  if (ready !== undefined) return ready;
  return loadFigures(ctx, [unit], metricCode, asOf).then((metric) => {
    if (!metric) throw BadUserInputError.field(['metric'], `Unknown metric "${metricCode}".`);
    return figures.get(key) ?? null;
  });
}

/** Unit.progress for a page of units at once (units/unit-prefetch.ts); an unknown metric is left for each field to report. */
export async function prefetchProgress(ctx: Context, units: readonly Unit[], field: SelectedField): Promise<void> {
  const { metric, asOf } = field.args as { metric: string; asOf?: string | null };
  await loadFigures(ctx, units, metric, asOf ?? null);
}

/** Progress figures of a unit. Null when the unit's progress lies outside your jurisdiction. */
@Resolver(() => Unit)
export class UnitProgressFieldsResolver {
  @FieldResolver(() => ProgressFigure, {
    nullable: true,
    description: "This unit's rollup of a metric as of a day (default today): the sum over the reporting units beneath it of their latest report on or before that day.",
  })
  progress(
    @Ctx() ctx: Context,
    @Root() unit: Unit,
    @Arg('metric', { description: 'Metric code, e.g. "eid.activated".' }) metricCode: string,
    @Arg('asOf', () => DateScalar, { nullable: true, description: 'Default: the day the unit was read for, else today (Vietnam).' }) asOf: string | null,
  ): ProgressFigure | null | Promise<ProgressFigure | null> {
    return progressFigure(ctx, unit, metricCode, asOf);
  }

  @FieldResolver(() => [ProgressPoint], {
    nullable: true,
    description: `One point per day from \`from\` to \`to\` (default: the 30 days up to today), carrying the last report forward; at most ${MAX_SERIES_DAYS} days.`,
  })
  async series(
    @Ctx() ctx: Context,
    @Root() unit: Unit,
    @Arg('metric', { description: 'Metric code.' }) metricCode: string,
    @Arg('from', () => DateScalar, { nullable: true, description: 'First day (default: 29 days before `to`).' }) from: string | null,
    @Arg('to', () => DateScalar, { nullable: true, description: 'Last day (default: the day the unit was read for, else today).' }) to: string | null,
  ): Promise<ProgressPoint[] | null> {
    const last = to ?? unit.asOf ?? todayInVietnam();
    const first = from ?? addDays(last, -29);
    if (first > last) throw BadUserInputError.field(['from'], '`from` must not be after `to`.');
    if (daysBetween(first, last) + 1 > MAX_SERIES_DAYS) throw BadUserInputError.field(['from'], `A series covers at most ${MAX_SERIES_DAYS} days.`);
    const [, points] = await Promise.all([
      checkMetric(ctx, metricCode, 'metric'),
      loaders(ctx, createProgressLoaders).series.load({ unitId: unit.dbId, metric: metricCode, from: first, to: last }),
    ]);
    return points.length ? points.map((p) => Object.assign(new ProgressPoint(), p)) : null;
  }

  @FieldResolver(() => [ReasonFigure], {
    description:
      'Why people under this unit are not yet activated, as of a day (default today): reason metrics with a positive count, largest first. ' +
      'Empty when none are reported (or the unit\'s progress lies outside your jurisdiction).',
  })
  async reasons(
    @Ctx() ctx: Context,
    @Root() unit: Unit,
    @Arg('asOf', () => DateScalar, { nullable: true, description: 'Default: today (Vietnam).' }) asOf: string | null,
  ): Promise<ReasonFigure[]> {
    const l = loaders(ctx, createProgressLoaders);
    const [rows, metrics] = await Promise.all([l.reasons.load({ unitId: unit.dbId, day: asOf ?? unit.asOf ?? todayInVietnam() }), l.metrics()]);
    return rows.map((r) => Object.assign(new ReasonFigure(), { metric: MetricType.from(metrics.get(r.metric)!), value: r.value }));
  }

  @FieldResolver(() => ProgressHistoryConnection, { description: "Writes of this unit's reports (first values and corrections), newest first." })
  async progressHistory(@Ctx() ctx: Context, @Root() unit: Unit, @Args() args: ProgressHistoryArgs) {
    const page = toPage(args);
    const metric = args.metric ?? null;
    const l = loaders(ctx, createProgressLoaders);
    const [, rows] = await Promise.all([metric === null ? null : checkMetric(ctx, metric, 'metric'), l.historyPage(metric, page).load(unit.dbId)]);
    return toConnection(rows.map(ProgressHistoryEntry.from), page, () => l.historyCount(metric).load(unit.dbId));
  }
}
