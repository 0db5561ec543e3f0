import type { EntityManager } from '@mikro-orm/postgresql';
import type { Scope } from '../common/scoped';
import type { Page } from '../common/pagination';
import type { UnitLevel } from '../units/unit-level';
import { pgArray, readRows } from '../db/prepared';

/**
 * Quota reads. Each takes two jurisdiction conditions: `quotaScope` over alias `u` (the quota's unit)
 * and `campaignScope` over aliases `c`/`su` (the campaign and its scope unit).
 */

export interface QuotaRow {
  id: number;
  campaignId: number;
  metric: string;
  unitId: number;
  unitCode: string;
  unitName: string;
  unitLevel: UnitLevel;
  unitKind: string;
  target: number;
  assignedById: number | null;
  assignedByName: string | null;
  assignedAt: Date;
  /** Sum of the targets of the unit's direct children (same campaign and metric). */
  allocated: number;
  childrenWithQuota: number;
}

export interface QuotaChangeRow {
  id: string;
  unitId: number;
  oldTarget: number | null;
  newTarget: number;
  changedById: number | null;
  changedByName: string | null;
  changedAt: Date;
  requestId: string | null;
}

/** What a quota read computes beyond the row itself; each costs a join, so only when a field asks for it. */
export interface QuotaDetail {
  allocation: boolean;
  assignedBy: boolean;
  /** The unit's identity and when the target was set (otherwise null: a dashboard asks for targets only). */
  record: boolean;
}

/** `campaignJoin` false: no join of campaign `c`/`su` (the caller then checks the campaign itself, once). */
const quotaSelect = (d: QuotaDetail, campaignJoin = true) => `select q.id, q.campaign_id as "campaignId", q.metric_code as metric, q.unit_id as "unitId",
    ${d.record ? 'u.code' : 'null'} as "unitCode", ${d.record ? 'u.name' : 'null'} as "unitName", ${d.record ? 'u.level' : 'null'} as "unitLevel", ${d.record ? 'u.kind' : 'null'} as "unitKind",
    q.target, q.assigned_by_id as "assignedById", ${d.assignedBy ? 'pr.display_name' : 'null'} as "assignedByName", ${d.record ? 'q.assigned_at' : 'null'} as "assignedAt",
    ${d.allocation ? 'coalesce(ch.allocated, 0)::bigint' : '0'} as allocated, ${d.allocation ? 'coalesce(ch.n, 0)::int' : '0'} as "childrenWithQuota"
  from quota q
  join admin_unit u on u.id = q.unit_id
  ${campaignJoin ? 'join campaign c on c.id = q.campaign_id left join admin_unit su on su.id = c.scope_unit_id' : ''}
  ${d.assignedBy ? 'left join principal pr on pr.id = q.assigned_by_id' : ''}
  ${d.allocation ? `left join lateral (
    select sum(cq.target) as allocated, count(*) as n
      from quota cq join admin_unit cu on cu.id = cq.unit_id and cu.parent_id = q.unit_id
     where cq.campaign_id = q.campaign_id and cq.metric_code = q.metric_code) ch on true` : ''}`;

const FULL: QuotaDetail = { allocation: true, assignedBy: true, record: true };

const list = (n: number) => Array.from({ length: n }, () => '?').join(',');

/**
 * The quotas of many units for one campaign and some of its metrics, with their children's allocation, in one
 * statement: every (unit, metric) pair of the two lists.
 */
export async function quotasOfUnits(
  em: EntityManager,
  campaignId: number,
  metrics: readonly string[],
  unitIds: readonly number[],
  quotaScope: Scope,
  campaignScope: Scope,
  detail: QuotaDetail = FULL,
): Promise<QuotaRow[]> {
  if (unitIds.length === 0 || metrics.length === 0) return [];
  const rows: QuotaRow[] = await readRows(
    em,
    // The campaign's visibility as a subquery run once (an InitPlan), whatever the plan: a prepared statement's
    // generic plan, expecting one unit, otherwise re-checked it for every row.
    `${quotaSelect(detail, false)} where q.campaign_id = (select c.id from campaign c left join admin_unit su on su.id = c.scope_unit_id
                                                      where c.id = ? and ${campaignScope.sql})
       and q.metric_code = any(?::text[]) and q.unit_id = any(?::int[]) and ${quotaScope.sql}`,
    [campaignId, ...campaignScope.bindings, pgArray(metrics), pgArray(unitIds), ...quotaScope.bindings],
  );
  for (const r of rows) r.allocated = Number(r.allocated);
  return rows;
}

export async function quotasByIds(em: EntityManager, ids: readonly number[], quotaScope: Scope, campaignScope: Scope): Promise<QuotaRow[]> {
  if (ids.length === 0) return [];
  const rows: QuotaRow[] = await em.execute(`${quotaSelect(FULL)} where q.id in (${list(ids.length)}) and ${quotaScope.sql} and ${campaignScope.sql}`, [
    ...ids,
    ...quotaScope.bindings,
    ...campaignScope.bindings,
  ]);
  for (const r of rows) r.allocated = Number(r.allocated);
  return rows;
}

const HISTORY_FROM = `from quota_history h
  join admin_unit u on u.id = h.unit_id
  join campaign c on c.id = h.campaign_id
  left join admin_unit su on su.id = c.scope_unit_id`;

const HISTORY_COLUMNS = `h.id::text as id, h.unit_id as "unitId", h.old_target as "oldTarget", h.new_target as "newTarget",
  h.changed_by_id as "changedById", pr.display_name as "changedByName", h.changed_at as "changedAt", h.request_id as "requestId"`;

/** Quota changes by id, under the caller's quota and campaign jurisdiction. */
export async function quotaChangesByIds(em: EntityManager, ids: readonly number[], quotaScope: Scope, campaignScope: Scope): Promise<QuotaChangeRow[]> {
  if (ids.length === 0) return [];
  return em.execute(
    `select ${HISTORY_COLUMNS} ${HISTORY_FROM} left join principal pr on pr.id = h.changed_by_id
      where h.id in (${list(ids.length)}) and ${quotaScope.sql} and ${campaignScope.sql}`,
    [...ids, ...quotaScope.bindings, ...campaignScope.bindings],
  );
}

/** One page of quota changes (newest first) for each of many units, in one statement. */
export async function historyPages(
  em: EntityManager,
  campaignId: number,
  metric: string,
  unitIds: readonly number[],
  page: Page,
  quotaScope: Scope,
  campaignScope: Scope,
): Promise<QuotaChangeRow[]> {
  if (unitIds.length === 0) return [];
  return em.execute(
    `select x.* from (
       select ${HISTORY_COLUMNS}, row_number() over (partition by h.unit_id order by h.changed_at desc, h.id desc) as rn
         ${HISTORY_FROM} left join principal pr on pr.id = h.changed_by_id
        where h.campaign_id = ? and h.metric_code = ? and h.unit_id in (${list(unitIds.length)}) and ${quotaScope.sql} and ${campaignScope.sql}
     ) x where rn > ? and rn <= ? order by "unitId", rn`,
    [campaignId, metric, ...unitIds, ...quotaScope.bindings, ...campaignScope.bindings, page.offset, page.offset + page.limit + 1],
  );
}

export async function historyCounts(
  em: EntityManager,
  campaignId: number,
  metric: string,
  unitIds: readonly number[],
  quotaScope: Scope,
  campaignScope: Scope,
): Promise<Map<number, number>> {
  if (unitIds.length === 0) return new Map();
  const rows: { unitId: number; n: number }[] = await em.execute(
    `select h.unit_id as "unitId", count(*)::int as n ${HISTORY_FROM}
      where h.campaign_id = ? and h.metric_code = ? and h.unit_id in (${list(unitIds.length)}) and ${quotaScope.sql} and ${campaignScope.sql}
      group by h.unit_id`,
    [campaignId, metric, ...unitIds, ...quotaScope.bindings, ...campaignScope.bindings],
  );
  return new Map(rows.map((r) => [r.unitId, r.n]));
}
