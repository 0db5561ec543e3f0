import { isUnderPath } from '../common/paths';
import type { Context } from '../context';
import { BadUserInputError, ConflictError, ForbiddenError, NotFoundError, ProblemList } from '../common/errors';
import { localIdOf } from '../common/global-id';
import { allowed, ensureCan, scope, unscoped } from '../common/scoped';
import { writeTransaction } from '../common/transaction';
import { lockUnitsUnchanged } from '../units/unit-write.repo';
import { audit } from '../audit/audit';
import { unitsByIds, type UnitRow } from '../units/unit.repo';
import { unitColumns } from '../units/unit.service';
import { AllocationMode, CampaignStatus } from '../campaigns/campaign-enums';
import { metricsOfCampaigns, type CampaignRow } from '../campaigns/campaign.repo';
import { lockCampaign } from '../campaigns/campaign-write.repo';
import { campaignReadScope, visibleCampaign } from '../campaigns/campaign.service';
import { CampaignType } from '../campaigns/campaign.types';
import * as repo from './quota.repo';
import { lockAllocationGroup, lockCurrentTargets, parentBudget, writeTargets, type Allocation } from './quota-write.repo';
import { QuotaType } from './quota.types';
import type { AssignQuotasInput, AssignQuotasPayload } from './quota.inputs';

export const MAX_ALLOCATIONS = 5000;
export const quotaReadScope = (ctx: Context) => scope(ctx, 'read', 'Quota', { path: 'u.path' });


/** Quotas of units (scoped) for one campaign metric, keyed by unit id. */
export async function quotasOf(ctx: Context, campaignId: number, metric: string, unitIds: number[]): Promise<Map<number, repo.QuotaRow>> {
  const rows = await repo.quotasOfUnits(ctx.em, campaignId, [metric], unitIds, quotaReadScope(ctx), campaignReadScope(ctx));
  return new Map(rows.map((r) => [r.unitId, r]));
}

/** The parent: a unit you can see, or an ancestor of your jurisdiction (identity), else NOT_FOUND. */
async function parentUnit(ctx: Context, globalId: string): Promise<UnitRow> {
  const id = localIdOf('Unit', globalId);
  const [row] = id === null ? [] : await unitsByIds(ctx.em, [id], scope(ctx, 'read', 'Campaign', { path: 'u.path', id: 'u.id' }));
  if (!row) throw new NotFoundError('Unit (parentUnitId)', globalId);
  return row;
}

/**
 * Validates every allocation with ONE unit query, then refuses as a whole: FORBIDDEN when any visible
 * unit is not strictly below the caller's jurisdiction, else BAD_USER_INPUT listing every bad allocation.
 */
async function checkAllocations(ctx: Context, campaign: CampaignRow, parent: UnitRow | null, input: AssignQuotasInput): Promise<(Allocation & { path: string; unit: UnitRow })[]> {
  const problems = new ProblemList();
  const at = (i: number, field: string) => ['input', 'allocations', i, field];
  if (input.allocations.length === 0) problems.add(['input', 'allocations'], 'Give at least one allocation.');
  if (input.allocations.length > MAX_ALLOCATIONS) throw BadUserInputError.field(['input', 'allocations'], `At most ${MAX_ALLOCATIONS} allocations per call.`);
  const ids = input.allocations.map((a) => localIdOf('Unit', a.unitId));
  const rows = new Map((await unitsByIds(ctx.em, [...new Set(ids.filter((i): i is number => i !== null))], scope(ctx, 'read', 'Unit', unitColumns))).map((r) => [r.id, r]));
  if ([...rows.values()].some((r) => !allowed(ctx, 'assign', 'Quota', { path: r.path }))) {
    throw new ForbiddenError('You may only assign quotas to units strictly below your own unit.');
  }
  const seen = new Set<number>();
  input.allocations.forEach((a, i) => {
    const id = ids[i];
    const row = id === null ? undefined : rows.get(id);
    if (!Number.isInteger(a.target) || a.target < 0) problems.add(at(i, 'target'), `Allocation ${i}: target must be a non-negative integer.`);
    if (!row) return problems.add(at(i, 'unitId'), `Allocation ${i}: unit ${a.unitId} was not found.`);
    if (seen.has(row.id)) return problems.add(at(i, 'unitId'), `Allocation ${i}: unit ${row.code} is named twice.`);
    seen.add(row.id);
    if (row.parentId !== (parent?.id ?? null)) {
      problems.add(at(i, 'unitId'), `Allocation ${i}: unit ${row.code} is not a direct child of ${parent ? `unit ${parent.code}` : 'the top level'}.`);
    } else if (!isUnderPath(row.path, campaign.scopePath)) {
      problems.add(at(i, 'unitId'), `Allocation ${i}: unit ${row.code} lies outside the campaign's scope.`);
    } else if (row.validTo) {
      problems.add(at(i, 'unitId'), `Allocation ${i}: unit ${row.code} is retired.`);
    }
  });
  problems.throwIfAny('Some allocations are invalid; nothing was changed.');
  return input.allocations.map((a, i) => ({ unitId: ids[i]!, target: a.target, path: rows.get(ids[i]!)!.path, unit: rows.get(ids[i]!)! }));
}

export async function assignQuotas(ctx: Context, input: AssignQuotasInput): Promise<AssignQuotasPayload> {
  const campaign = await visibleCampaign(ctx, input.campaignId);
  const parent = input.parentUnitId != null ? await parentUnit(ctx, input.parentUnitId) : null;
  // The children of a visible parent: may the caller assign there at all (FORBIDDEN before any input check)?
  ensureCan(ctx, 'assign', 'Quota', { path: parent ? `${parent.path}.0` : '0' }, 'You may only assign quotas to units strictly below your own unit.');
  const metric = input.metric.trim();
  const modes = (await metricsOfCampaigns(ctx.em, [campaign.id], unscoped('metrics of a campaign the caller has just been shown'))).find((m) => m.code === metric);
  if (!modes) throw BadUserInputError.field(['input', 'metric'], `Metric ${metric} is not one of the campaign's metrics.`);
  const allocations = await checkAllocations(ctx, campaign, parent, input);
  if (campaign.status === CampaignStatus.CLOSED) throw new ConflictError('The campaign is closed and read-only.', { status: campaign.status });
  const unitIds = allocations.map((a) => a.unitId);
  const paths = new Map(allocations.map((a) => [a.unitId, a.path]));

  const changed = await writeTransaction(ctx, async (em) => {
    const locked = await lockCampaign(em, campaign.id, 'share');
    if (!locked || locked.status === CampaignStatus.CLOSED) throw new ConflictError('The campaign is closed and read-only.');
    await lockAllocationGroup(em, campaign.id, metric, parent?.id ?? null);
    await lockUnitsUnchanged(em, [...(parent ? [parent] : []), ...allocations.map((a) => a.unit)]);
    if (parent && modes.allocationMode === AllocationMode.STRICT) {
      const { parentTarget, allocatedToOthers } = await parentBudget(em, campaign.id, metric, parent.id, unitIds);
      const requested = allocations.reduce((s, a) => s + a.target, 0);
      if (parentTarget !== null && allocatedToOthers + requested > parentTarget) {
        throw new ConflictError(
          `STRICT allocation: ${parent.code} holds ${parentTarget}; its other children already hold ${allocatedToOthers}, ` +
            `so ${requested} more cannot be allocated (${allocatedToOthers + requested - parentTarget} too many). Nothing was changed.`,
          { parentTarget, allocated: allocatedToOthers, requested },
        );
      }
    }
    const current = await lockCurrentTargets(em, campaign.id, metric, unitIds);
    const changes = allocations.filter((a) => current.get(a.unitId) !== a.target).map((a) => ({ ...a, oldTarget: current.get(a.unitId) ?? null }));
    if (changes.length === 0) return 0;
    const quotaIds = await writeTargets(em, campaign.id, metric, changes, ctx.principal?.id ?? null, ctx.requestId);
    await audit(
      em,
      ctx,
      changes.map((c) => ({
        action: 'quota.assign',
        objectType: 'Quota',
        objectId: quotaIds.get(c.unitId),
        unitPath: paths.get(c.unitId),
        before: c.oldTarget === null ? null : { target: c.oldTarget },
        after: { campaignId: campaign.id, metric, unitId: c.unitId, target: c.target, allocationMode: modes.allocationMode },
      })),
    );
    return changes.length;
  });

  const quotas = await quotasOf(ctx, campaign.id, metric, parent ? [...unitIds, parent.id] : unitIds);
  return {
    campaign: CampaignType.from(campaign),
    parentQuota: parent ? (quotas.has(parent.id) ? QuotaType.from(quotas.get(parent.id)!) : null) : null,
    quotas: unitIds.flatMap((id) => (quotas.has(id) ? [QuotaType.from(quotas.get(id)!)] : [])),
    changed,
  };
}
