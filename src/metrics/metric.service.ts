import type { Context } from '../context';
import { ConflictError, NotFoundError, ProblemList } from '../common/errors';
import { cleanText, requiredText } from '../common/text';
import { unscoped } from '../common/scoped';
import { lockedForUpdate, writeTransaction } from '../common/transaction';
import { audit } from '../audit/audit';
import { UnitLevel } from '../units/unit-level';
import { METRIC_ROWS, metricsByCodes } from './metric.repo';
import { insertMetric, updateMetricTexts } from './metric-write.repo';
import { MetricType, type MetricRow } from './metric.types';
import type { CreateMetricInput, UpdateMetricInput } from './metric.inputs';

/** `group.snake_case`: a lower-case family, a dot, then snake_case words. */
export const METRIC_CODE_RE = /^[a-z][a-z0-9]*\.[a-z][a-z0-9]*(_[a-z0-9]+)*$/;

export async function createMetric(ctx: Context, input: CreateMetricInput): Promise<MetricType> {
  const problems = new ProblemList();
  const code = input.code.trim();
  if (!METRIC_CODE_RE.test(code) || code.length > 80) {
    problems.add(['input', 'code'], 'code must read `group.snake_case` (lower-case letters, digits and "_"), e.g. "reason.no_id_card".');
  }
  const row: MetricRow = {
    code,
    nameVi: requiredText(problems, ['input', 'nameVi'], input.nameVi),
    nameEn: requiredText(problems, ['input', 'nameEn'], input.nameEn),
    description: cleanText(input.description ?? ''),
    group: input.group,
    reportingLevel: input.reportingLevel ?? UnitLevel.HAMLET,
    pipelineOrder: input.pipelineOrder ?? null,
  };
  if (row.description.length > 1000) problems.add(['input', 'description'], 'description must be at most 1000 characters.');
  if (row.pipelineOrder != null && row.pipelineOrder < 1) problems.add(['input', 'pipelineOrder'], 'pipelineOrder must be at least 1.');
  problems.throwIfAny();
  return writeTransaction(ctx, async (em) => {
    const [existing] = await metricsByCodes(em, [code]);
    if (existing) throw new ConflictError(`A metric with code ${code} already exists; codes are permanent.`, { code });
    const created = await insertMetric(em, row);
    await audit(em, ctx, [{ action: 'metric.create', objectType: 'Metric', objectId: code, unitPath: null, after: created }]);
    return MetricType.from(created);
  });
}

export async function updateMetric(ctx: Context, input: UpdateMetricInput): Promise<MetricType> {
  const [visible] = await metricsByCodes(ctx.em, [input.code.trim()]);
  if (!visible) throw new NotFoundError('Metric', input.code);
  const problems = new ProblemList();
  const given = {
    ...(input.nameVi != null && { nameVi: requiredText(problems, ['input', 'nameVi'], input.nameVi) }),
    ...(input.nameEn != null && { nameEn: requiredText(problems, ['input', 'nameEn'], input.nameEn) }),
    ...(input.description != null && { description: cleanText(input.description) }),
  };
  if ((given.description?.length ?? 0) > 1000) problems.add(['input', 'description'], 'description must be at most 1000 characters.');
  problems.throwIfAny();
  return writeTransaction(ctx, async (em) => {
    const before = await lockedForUpdate(em, METRIC_ROWS, visible.code, unscoped('the metric catalogue has no jurisdiction'));
    const texts = { nameVi: before.nameVi, nameEn: before.nameEn, description: before.description, ...given };
    const after = await updateMetricTexts(em, before.code, texts);
    await audit(em, ctx, [{ action: 'metric.update', objectType: 'Metric', objectId: before.code, unitPath: null, before, after }]);
    return MetricType.from(after);
  });
}
