import type { EntityManager } from '@mikro-orm/postgresql';
import { audit } from '../src/audit/audit';
import { largestRemainder } from './demo-progress';

interface TreeUnit {
  id: number;
  code: string;
  parentId: number | null;
  path: string;
  elig: number | null;
}

/**
 * Splits `target` down the whole subtree of `rootCode` (root, districts, communes, hamlets), each parent's
 * target shared among its children by eligible citizens (largest remainder, so children sum exactly to
 * the parent and STRICT allocation holds); `fixed` targets (the articles' figures) are kept and the
 * rest of their parent's target goes to their siblings. Returns the quota of every unit of the subtree.
 */
export async function quotaTree(em: EntityManager, rootCode: string, target: number, fixed: Readonly<Record<string, number>> = {}): Promise<{ unit: TreeUnit; target: number }[]> {
  const units = await em.execute<TreeUnit[]>(
    `select u.id, u.code, u.parent_id as "parentId", u.path::text as path, u.eligible_citizens as elig
       from admin_unit r join admin_unit u on u.path <@ r.path and u.valid_to is null
      where r.code = ? order by nlevel(u.path) desc, u.code`,
    [rootCode],
  );
  const children = new Map<number, TreeUnit[]>();
  const weight = new Map<number, number>();
  for (const u of units) {
    // Deepest first: a unit's weight is its eligible citizens, else the sum of its children's, else 1.
    const own = u.elig ?? (children.get(u.id) ?? []).reduce((s, c) => s + weight.get(c.id)!, 0);
    weight.set(u.id, own > 0 ? own : 1);
    if (u.parentId !== null) children.set(u.parentId, [...(children.get(u.parentId) ?? []), u]);
  }
  const root = units.find((u) => u.code === rootCode);
  if (!root) return [];
  const out: { unit: TreeUnit; target: number }[] = [];
  const walk = (u: TreeUnit, t: number) => {
    out.push({ unit: u, target: t });
    const kids = (children.get(u.id) ?? []).sort((a, b) => a.code.localeCompare(b.code));
    if (kids.length === 0) return;
    const free = kids.filter((k) => fixed[k.code] === undefined);
    const rest = t - kids.reduce((s, k) => s + (fixed[k.code] ?? 0), 0);
    const split = free.length ? largestRemainder(Math.max(rest, 0), free.map((k) => weight.get(k.id)!)) : [];
    kids.forEach((k) => walk(k, fixed[k.code] ?? split[free.indexOf(k)]));
  };
  walk(root, target);
  return out;
}

/** Inserts quotas that do not exist yet (never overwriting), each with its history row and audit entry. */
export async function insertDemoQuotas(em: EntityManager, campaignId: number, metric: string, quotas: { unit: { id: number; path: string }; target: number }[]): Promise<number> {
  if (quotas.length === 0) return 0;
  const inserted = await em.execute<{ id: number; unitId: number; target: number }[]>(
    `insert into quota (campaign_id, unit_id, metric_code, target, assigned_by_id, assigned_at)
     select ?, q.unit_id, ?, q.target, null, now() from jsonb_to_recordset(?::jsonb) as q(unit_id int, target int)
     on conflict (campaign_id, unit_id, metric_code) do nothing
     returning id, unit_id as "unitId", target`,
    [campaignId, metric, JSON.stringify(quotas.map((q) => ({ unit_id: q.unit.id, target: q.target })))],
  );
  if (inserted.length === 0) return 0;
  await em.execute(
    `insert into quota_history (campaign_id, unit_id, metric_code, old_target, new_target, changed_by_id, changed_at, request_id)
     select ?, h.unit_id, ?, null, h.target, null, now(), null from jsonb_to_recordset(?::jsonb) as h(unit_id int, target int)`,
    [campaignId, metric, JSON.stringify(inserted.map((q) => ({ unit_id: q.unitId, target: q.target })))],
  );
  const pathOf = new Map(quotas.map((q) => [q.unit.id, q.unit.path]));
  await audit(em, null, inserted.map((q) => ({
    action: 'quota.assign', objectType: 'Quota', objectId: q.id, unitPath: pathOf.get(q.unitId) ?? null, before: null,
    after: { campaignId, metric, unitId: q.unitId, target: q.target, seeded: true },
  })));
  return inserted.length;
}
