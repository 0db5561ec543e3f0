import type { EntityManager } from '@mikro-orm/postgresql';

/** Writes to quota and quota_history, set-based. Callers have checked jurisdiction on every unit involved. */

export interface Allocation {
  unitId: number;
  target: number;
}

const list = (n: number) => Array.from({ length: n }, () => '?').join(',');

/** Serialises writers of one parent's children for one campaign metric (the STRICT sum check needs it). */
export async function lockAllocationGroup(em: EntityManager, campaignId: number, metric: string, parentId: number | null): Promise<void> {
  await em.execute('select pg_advisory_xact_lock(hashtext(?))', [`quota:${campaignId}:${metric}:${parentId ?? 'top'}`]);
}

/**
 * The parent's own target (null when it has none; its row is share-locked so the level above cannot change it
 * mid-check) and what its other children already hold, in one statement. Sums of targets pass 2³¹ in a large
 * campaign: summed as bigint, read as float8 (exact below 2⁵³) so the driver hands back a number, not a string.
 */
export async function parentBudget(
  em: EntityManager,
  campaignId: number,
  metric: string,
  parentId: number,
  excludeUnitIds: number[],
): Promise<{ parentTarget: number | null; allocatedToOthers: number }> {
  const [row] = await em.execute<{ parentTarget: number | null; allocatedToOthers: number }[]>(
    `select (select target from quota where campaign_id = ? and metric_code = ? and unit_id = ? for share) as "parentTarget",
            (select coalesce(sum(q.target), 0)::float8 from quota q join admin_unit cu on cu.id = q.unit_id
              where cu.parent_id = ? and q.campaign_id = ? and q.metric_code = ? and q.unit_id not in (${list(excludeUnitIds.length)})) as "allocatedToOthers"`,
    [campaignId, metric, parentId, parentId, campaignId, metric, ...excludeUnitIds],
  );
  return row;
}

/** Current targets of the given units, locked for the rest of the transaction. */
export async function lockCurrentTargets(em: EntityManager, campaignId: number, metric: string, unitIds: number[]): Promise<Map<number, number>> {
  const rows: { unitId: number; target: number }[] = await em.execute(
    `select unit_id as "unitId", target from quota where campaign_id = ? and metric_code = ? and unit_id in (${list(unitIds.length)}) for update`,
    [campaignId, metric, ...unitIds],
  );
  return new Map(rows.map((r) => [r.unitId, r.target]));
}

/** Upserts targets and appends one history row per change, in two statements. Returns quota ids by unit. */
export async function writeTargets(
  em: EntityManager,
  campaignId: number,
  metric: string,
  changes: (Allocation & { oldTarget: number | null })[],
  principalId: number | null,
  requestId: string | null,
): Promise<Map<number, number>> {
  const rows: { id: number; unitId: number }[] = await em.execute(
    `insert into quota (campaign_id, unit_id, metric_code, target, assigned_by_id, assigned_at)
     select ?, v.unit_id, ?, v.target, ?, now() from (values ${changes.map(() => '(?::int, ?::int)').join(',')}) as v(unit_id, target)
     on conflict (campaign_id, unit_id, metric_code)
       do update set target = excluded.target, assigned_by_id = excluded.assigned_by_id, assigned_at = excluded.assigned_at
     returning id, unit_id as "unitId"`,
    [campaignId, metric, principalId, ...changes.flatMap((c) => [c.unitId, c.target])],
  );
  await em.execute(
    `insert into quota_history (campaign_id, unit_id, metric_code, old_target, new_target, changed_by_id, changed_at, request_id)
     select ?, v.unit_id, ?, v.old_target, v.new_target, ?, now(), ?
       from (values ${changes.map(() => '(?::int, ?::int, ?::int)').join(',')}) as v(unit_id, old_target, new_target)`,
    [campaignId, metric, principalId, requestId, ...changes.flatMap((c) => [c.unitId, c.oldTarget, c.target])],
  );
  return new Map(rows.map((r) => [r.unitId, r.id]));
}
