import type { EntityManager } from '@mikro-orm/postgresql';
import type { Context } from '../context';
import { writeTransaction } from '../common/transaction';
import { audit, type AuditRecord } from '../audit/audit';
import { RestructuringSummary } from './restructure.types';
import { activeChildren, insertLineage, markRetired, reparentAt, type LineageLink } from './tree-write.repo';
import { mergeQuotas, moveGrants, moveTeams, type Handover } from './restructure-followers.repo';

/** Thrown to roll a dry run back after it has computed everything a real run would. */
class DryRunRollback<T> extends Error {
  constructor(readonly result: T) {
    super('dry run');
  }
}

/**
 * Runs a restructuring in one transaction. A dry run does all the work, reports it, and rolls back, so what it
 * reports is exactly what a real run would do (ids of units it would create are provisional).
 */
export async function runRestructuring<T>(ctx: Context, dryRun: boolean, work: (em: EntityManager) => Promise<T>): Promise<T> {
  try {
    return await writeTransaction(ctx, async (em) => {
      const result = await work(em);
      if (dryRun) throw new DryRunRollback(result);
      return result;
    });
  } catch (e) {
    if (e instanceof DryRunRollback) return e.result as T;
    throw e;
  }
}

/**
 * Predecessors pass into successors from `day` (set-based, whatever their number): each predecessor becomes a
 * retired child of its successor (its own figures keep counting there), its active children move to the
 * successor, grants and teams follow, and quotas of running campaigns are added to the successor's.
 */
export async function absorb(
  ctx: Context,
  em: EntityManager,
  handovers: readonly Handover[],
  day: string,
  summary: RestructuringSummary,
  links: readonly LineageLink[],
): Promise<void> {
  const real = handovers.filter((h) => h.fromId !== h.toId);
  if (real.length === 0) return;
  const successorOf = new Map(real.map((h) => [h.fromId, h.toId]));
  summary.moved += await reparentAt(em, real.map((h) => ({ unitId: h.fromId, parentId: h.toId })), day);
  const children = await activeChildren(em, real.map((h) => h.fromId));
  summary.moved += await reparentAt(em, children.map((c) => ({ unitId: c.id, parentId: successorOf.get(c.parentId)! })), day);
  await markRetired(em, real.map((h) => h.fromId), day);
  summary.retired += real.length;
  await handOver(ctx, em, real, day, summary);
  await insertLineage(em, links, day);
  summary.lineageLinks += links.length;
}

/** Grants and teams move to the successor, quotas of running campaigns are added to its own; all audited. */
export async function handOver(ctx: Context, em: EntityManager, handovers: readonly Handover[], day: string, summary: RestructuringSummary): Promise<void> {
  const grants = await moveGrants(em, handovers);
  summary.grantsMoved += grants.length;
  summary.teamsMoved += await moveTeams(em, handovers);
  summary.quotasMerged += await mergeQuotas(em, handovers, day, ctx.principal?.id ?? null, ctx.requestId ?? null);
  const records: AuditRecord[] = grants.map((g) => ({
    action: 'grant.follow-successor', objectType: 'Grant', objectId: g.id, unitPath: null,
    before: { unitId: g.fromId, principalId: g.principalId, role: g.role }, after: { unitId: g.toId, effectiveDate: day },
  }));
  await audit(em, ctx, records);
}
