import type { UnitRow } from '../units/unit.repo';
import { NATIONAL_PATH } from '../common/paths';
import type { Context } from '../context';
import { ConflictError, NotFoundError, ProblemList } from '../common/errors';
import { localIdOf } from '../common/global-id';
import { ensureCan, scope } from '../common/scoped';
import { toConnection, toPage } from '../common/pagination';
import { cleanText, requiredText } from '../common/text';
import type { EntityManager } from '@mikro-orm/postgresql';
import { lockedForUpdate, writeTransaction } from '../common/transaction';
import { audit } from '../audit/audit';
import { metricsByCodes } from '../metrics/metric.repo';
import { unitsByIds } from '../units/unit.repo';
import { unitColumns } from '../units/unit.service';
import { AllocationMode, CampaignStatus, CountingMode } from './campaign-enums';
import * as repo from './campaign.repo';
import { insertCampaign, replaceCampaignMetrics, setCampaignStatus, updateCampaignRow, type CampaignFields, type CampaignMetricSpec } from './campaign-write.repo';
import { CampaignType } from './campaign.types';
import type { CampaignMetricInput, CampaignsArgs, CreateCampaignInput, UpdateCampaignInput } from './campaign.inputs';

export const campaignReadScope = (ctx: Context) => scope(ctx, 'read', 'Campaign', repo.campaignColumns);

/** A campaign the caller may read, or null (out of jurisdiction and nonexistent look the same). */
export async function findCampaignRow(ctx: Context, id: number): Promise<repo.CampaignRow | null> {
  const [row] = await repo.campaignsByIds(ctx.em, [id], campaignReadScope(ctx));
  return row ?? null;
}

/** Loads a campaign named by a global id: invisible → NOT_FOUND. */
export async function visibleCampaign(ctx: Context, globalId: string): Promise<repo.CampaignRow> {
  const id = localIdOf('Campaign', globalId);
  const row = id === null ? null : await findCampaignRow(ctx, id);
  if (!row) throw new NotFoundError('Campaign', globalId);
  return row;
}

export async function getCampaign(ctx: Context, globalId: string): Promise<CampaignType> {
  return CampaignType.from(await visibleCampaign(ctx, globalId));
}

export async function listCampaigns(ctx: Context, args: CampaignsArgs) {
  const page = toPage(args);
  const s = campaignReadScope(ctx);
  const filter: repo.CampaignFilter = { status: args.status ?? null, activeOn: args.activeOn ?? null };
  if (args.unitId != null) {
    const id = localIdOf('Unit', args.unitId);
    // A unit you can see, or an ancestor of your jurisdiction (the units a campaign visible to you may be scoped at).
    const [unit] = id === null ? [] : await unitsByIds(ctx.em, [id], scope(ctx, 'read', 'Campaign', { path: 'u.path', id: 'u.id' }));
    if (!unit) throw new NotFoundError('Unit (unitId)', args.unitId);
    filter.unitPath = unit.path;
  }
  const rows = await repo.listCampaigns(ctx.em, filter, page, s);
  return toConnection(rows.map(CampaignType.from), page, () => repo.countCampaigns(ctx.em, filter, s));
}

/** Validates the metric list: at least one, each once, each in the catalogue. */
async function checkMetrics(ctx: Context, problems: ProblemList, input: CampaignMetricInput[], path: (string | number)[]): Promise<CampaignMetricSpec[]> {
  if (input.length === 0) problems.add(path, 'A campaign needs at least one metric.');
  if (input.length > 50) problems.add(path, 'A campaign may track at most 50 metrics.');
  const codes = input.map((m) => m.metric.trim());
  const known = new Set((await metricsByCodes(ctx.em, [...new Set(codes)])).map((m) => m.code));
  const seen = new Set<string>();
  codes.forEach((code, i) => {
    if (!known.has(code)) problems.add([...path, i, 'metric'], `Metric ${code} is not in the catalogue.`);
    else if (seen.has(code)) problems.add([...path, i, 'metric'], `Metric ${code} is listed twice.`);
    seen.add(code);
  });
  return input.map((m, i) => ({
    code: codes[i],
    countingMode: m.countingMode ?? CountingMode.CUMULATIVE,
    allocationMode: m.allocationMode ?? AllocationMode.STRICT,
  }));
}

function checkFields(problems: ProblemList, f: CampaignFields): void {
  if (f.deadline < f.startDate) problems.add(['input', 'deadline'], `deadline (${f.deadline}) must not be before startDate (${f.startDate}).`);
  if (!Number.isInteger(f.minTeamsPerHamlet) || f.minTeamsPerHamlet < 0 || f.minTeamsPerHamlet > 1000) {
    problems.add(['input', 'minTeamsPerHamlet'], 'minTeamsPerHamlet must be between 0 and 1000.');
  }
  if (f.description.length > 5000) problems.add(['input', 'description'], 'description must be at most 5000 characters.');
}

async function reload(ctx: Context, id: number): Promise<CampaignType> {
  const row = await findCampaignRow(ctx, id);
  return CampaignType.from(row!);
}

export async function createCampaign(ctx: Context, input: CreateCampaignInput): Promise<CampaignType> {
  let unit: UnitRow | null = null;
  if (input.scopeUnitId != null) {
    const unitId = localIdOf('Unit', input.scopeUnitId);
    [unit] = unitId === null ? [] : await unitsByIds(ctx.em, [unitId], scope(ctx, 'read', 'Unit', unitColumns));
    if (!unit) throw new NotFoundError('Unit (scopeUnitId)', input.scopeUnitId);
  }
  const scopePath = unit?.path ?? NATIONAL_PATH;
  ensureCan(ctx, 'create', 'Campaign', { path: scopePath }, 'You may only create campaigns scoped inside your own jurisdiction (national campaigns: SYSTEM_ADMIN).');
  const problems = new ProblemList();
  const fields: CampaignFields = {
    name: requiredText(problems, ['input', 'name'], input.name),
    description: cleanText(input.description ?? ''),
    startDate: input.startDate,
    deadline: input.deadline,
    minTeamsPerHamlet: input.minTeamsPerHamlet ?? 5,
  };
  checkFields(problems, fields);
  if (unit?.validTo) problems.add(['input', 'scopeUnitId'], 'The scope unit is retired.');
  const metrics = await checkMetrics(ctx, problems, input.metrics, ['input', 'metrics']);
  problems.throwIfAny();
  const id = await writeTransaction(ctx, async (em) => {
    const newId = await insertCampaign(em, fields, unit?.id ?? null, ctx.principal?.id ?? null);
    await replaceCampaignMetrics(em, newId, metrics);
    await audit(em, ctx, [{ action: 'campaign.create', objectType: 'Campaign', objectId: newId, unitPath: unit?.path ?? null, after: { ...fields, scopeUnitId: unit?.id ?? null, metrics } }]);
    return newId;
  });
  return reload(ctx, id);
}

/** May the caller change this campaign (FORBIDDEN), and is it still open (CONFLICT)? */
function checkWritable(ctx: Context, row: repo.CampaignRow): void {
  ensureCan(ctx, 'update', 'Campaign', { path: row.scopePath }, 'You may only change campaigns scoped inside your own jurisdiction.');
  if (row.status === CampaignStatus.CLOSED) throw new ConflictError('The campaign is closed and read-only.', { status: row.status });
}

/** Visible (NOT_FOUND) → writable: the early answer, before any work; the write checks again on the locked row. */
async function writableCampaign(ctx: Context, globalId: string): Promise<repo.CampaignRow> {
  const row = await visibleCampaign(ctx, globalId);
  checkWritable(ctx, row);
  return row;
}

/** The campaign a write changes, locked in its transaction and checked again there (see lockedForUpdate). */
async function lockedWritableCampaign(ctx: Context, em: EntityManager, id: number): Promise<repo.CampaignRow> {
  const row = await lockedForUpdate(em, repo.CAMPAIGN_ROWS, id, campaignReadScope(ctx));
  checkWritable(ctx, row);
  return row;
}

/** Fields left out of the input keep the values of `row` (the locked row: a concurrent edit of another field is kept). */
function mergeFields(problems: ProblemList, row: repo.CampaignRow, input: UpdateCampaignInput): CampaignFields {
  return {
    name: input.name != null ? requiredText(problems, ['input', 'name'], input.name) : row.name,
    description: input.description != null ? cleanText(input.description) : row.description,
    startDate: input.startDate ?? row.startDate,
    deadline: input.deadline ?? row.deadline,
    minTeamsPerHamlet: input.minTeamsPerHamlet ?? row.minTeamsPerHamlet,
  };
}

export async function updateCampaign(ctx: Context, input: UpdateCampaignInput): Promise<CampaignType> {
  const visible = await writableCampaign(ctx, input.id);
  const problems = new ProblemList();
  checkFields(problems, mergeFields(problems, visible, input));
  const metrics = input.metrics ? await checkMetrics(ctx, problems, input.metrics, ['input', 'metrics']) : null;
  problems.throwIfAny();
  await writeTransaction(ctx, async (em) => {
    const before = await lockedWritableCampaign(ctx, em, visible.id);
    const again = new ProblemList();
    const fields = mergeFields(again, before, input);
    checkFields(again, fields);
    again.throwIfAny();
    if (metrics) {
      const kept = new Set(metrics.map((m) => m.code));
      const dropped = (await repo.metricsWithQuotas(em, before.id)).filter((c) => !kept.has(c));
      if (dropped.length) throw new ConflictError(`Metrics with quotas cannot be removed: ${dropped.join(', ')}.`, { metrics: dropped });
      await replaceCampaignMetrics(em, before.id, metrics);
    }
    await updateCampaignRow(em, before.id, fields);
    await audit(em, ctx, [{ action: 'campaign.update', objectType: 'Campaign', objectId: before.id, unitPath: before.scopePath, before, after: { ...fields, ...(metrics ? { metrics } : {}) } }]);
  });
  return reload(ctx, visible.id);
}

const TRANSITIONS: Record<'activate' | 'close', { from: CampaignStatus[]; to: CampaignStatus }> = {
  activate: { from: [CampaignStatus.DRAFT], to: CampaignStatus.ACTIVE },
  close: { from: [CampaignStatus.DRAFT, CampaignStatus.ACTIVE], to: CampaignStatus.CLOSED },
};

export async function changeCampaignStatus(ctx: Context, globalId: string, action: 'activate' | 'close'): Promise<CampaignType> {
  const row = await writableCampaign(ctx, globalId);
  const { from, to } = TRANSITIONS[action];
  await writeTransaction(ctx, async (em) => {
    const locked = await lockedWritableCampaign(ctx, em, row.id);
    if (!from.includes(locked.status)) {
      throw new ConflictError(`A ${locked.status} campaign cannot be ${action === 'activate' ? 'activated' : 'closed'}.`, { status: locked.status });
    }
    await setCampaignStatus(em, row.id, to);
    await audit(em, ctx, [{ action: `campaign.${action}`, objectType: 'Campaign', objectId: row.id, unitPath: locked.scopePath, before: { status: locked.status }, after: { status: to } }]);
  });
  return reload(ctx, row.id);
}
