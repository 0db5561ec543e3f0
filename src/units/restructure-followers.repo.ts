import type { EntityManager } from '@mikro-orm/postgresql';

/*
 * What follows a merged unit to its successor (docs/RESTRUCTURING.md): grants and teams move; quotas of
 * campaigns still running on the effective day are added to the successor's (created when missing), with
 * quota history. Campaign scopes stay where they are (a campaign scoped to a vanished unit reads as of its dates).
 */

export interface Handover {
  fromId: number;
  toId: number;
}

export interface MovedGrant {
  id: number;
  principalId: number;
  role: string;
  fromId: number;
  toId: number;
}

const pairs = (h: readonly Handover[]) => JSON.stringify(h.filter((x) => x.fromId !== x.toId).map((x) => ({ from_id: x.fromId, to_id: x.toId })));
const V = `(select * from jsonb_to_recordset(?::jsonb) as v(from_id int, to_id int))`;

/**
 * Grants at predecessors move to their successor. A grant that would then equal one the principal already holds
 * (same role and team at the successor, or from another predecessor) is dropped instead: the unique index on
 * (principal, role, unit, team) holds, and the principal keeps exactly the rights it had.
 */
export async function moveGrants(em: EntityManager, handovers: readonly Handover[]): Promise<MovedGrant[]> {
  if (handovers.length === 0) return [];
  const json = pairs(handovers);
  const dropped: MovedGrant[] = await em.execute(
    `with g as (
       select g.id, g.principal_id, g.role, g.team_id, v.from_id, v.to_id,
              row_number() over (partition by g.principal_id, g.role, v.to_id, g.team_id order by g.id) as n,
              exists (select 1 from "grant" h where h.unit_id = v.to_id and h.principal_id = g.principal_id and h.role = g.role
                         and h.team_id is not distinct from g.team_id) as held
         from ${V} v join "grant" g on g.unit_id = v.from_id)
     delete from "grant" d using g where d.id = g.id and (g.held or g.n > 1)
     returning d.id, d.principal_id as "principalId", d.role, g.from_id as "fromId", g.to_id as "toId"`,
    [json],
  );
  const moved: MovedGrant[] = await em.execute(
    `update "grant" g set unit_id = v.to_id from ${V} v where g.unit_id = v.from_id
     returning g.id, g.principal_id as "principalId", g.role, v.from_id as "fromId", v.to_id as "toId"`,
    [json],
  );
  return [...moved, ...dropped];
}

export async function moveTeams(em: EntityManager, handovers: readonly Handover[]): Promise<number> {
  if (handovers.length === 0) return 0;
  const rows: { id: number }[] = await em.execute(`update team t set unit_id = v.to_id, updated_at = now() from ${V} v where t.unit_id = v.from_id returning t.id`, [
    pairs(handovers),
  ]);
  return rows.length;
}

/** Adds the quotas of predecessors in campaigns whose deadline is on or after `day` to their successors. Returns quotas written. */
export async function mergeQuotas(em: EntityManager, handovers: readonly Handover[], day: string, principalId: number | null, requestId: string | null): Promise<number> {
  if (handovers.length === 0) return 0;
  const rows: { n: number }[] = await em.execute(
    `with q as (
       select q.campaign_id, v.to_id as unit_id, q.metric_code, sum(q.target)::int as target
         from ${V} v join quota q on q.unit_id = v.from_id join campaign c on c.id = q.campaign_id and c.deadline >= ?::date
        group by q.campaign_id, v.to_id, q.metric_code),
     old as (select q.campaign_id, q.unit_id, q.metric_code, o.target from q join quota o using (campaign_id, unit_id, metric_code)),
     up as (
       insert into quota (campaign_id, unit_id, metric_code, target, assigned_by_id, assigned_at)
       select campaign_id, unit_id, metric_code, target, ?::int, now() from q order by campaign_id, unit_id, metric_code
       on conflict (campaign_id, unit_id, metric_code) do update set target = quota.target + excluded.target, assigned_by_id = excluded.assigned_by_id, assigned_at = now()
       returning quota.campaign_id, quota.unit_id, quota.metric_code, quota.target),
     h as (
       insert into quota_history (campaign_id, unit_id, metric_code, old_target, new_target, changed_by_id, changed_at, request_id)
       select up.campaign_id, up.unit_id, up.metric_code, old.target, up.target, ?::int, now(), ? from up left join old using (campaign_id, unit_id, metric_code)
       returning 1)
     select count(*)::int as n from h`,
    [pairs(handovers), day, principalId, principalId, requestId],
  );
  return rows[0].n;
}
