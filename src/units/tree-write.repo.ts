import type { EntityManager } from '@mikro-orm/postgresql';
import { lockTree } from './unit-write.repo';

/*
 * Structural writes of the dated tree (docs/RESTRUCTURING.md). Every function runs inside the caller's
 * transaction, after beginTreeWrite, and is set-based: one statement per step whatever the number of units.
 *
 * A unit's rollup rows are exactly what its subtree contributes to each ancestor while it sits under it. So when
 * a unit X leaves an ancestor A at day E, A loses X's contribution from E on: −(X's rows dated ≤ E) at E and
 * −(each X row dated after E) at its date; an ancestor it joins gains the same. Shared ancestors are untouched,
 * history before E never moves, and a later back-dated report reaches the ancestors in force on its day through
 * unit_paths_during (the report writer spreads over the intervals kept here).
 */

const json = (rows: readonly unknown[]): string => JSON.stringify(rows);
/** A PostgreSQL array literal (knex would expand a JS array binding into a list). */
export const intArray = (ids: Iterable<number>): string => `{${[...ids].join(',')}}`;

/** Takes the tree lock and tells the membership trigger that this transaction keeps the intervals itself. */
export async function beginTreeWrite(em: EntityManager): Promise<void> {
  await lockTree(em);
  await em.execute(`select set_config('vneid.dated_tree_write', 'on', true)`);
}

export interface PlacedUnit {
  id: number;
  path: string;
}

/** Current paths of units, by id (after earlier steps of the same transaction). */
export async function currentTreePaths(em: EntityManager, ids: readonly number[]): Promise<Map<number, string>> {
  if (ids.length === 0) return new Map();
  const rows: PlacedUnit[] = await em.execute(`select id, path::text as path from admin_unit where id = any(?::int[])`, [intArray(new Set(ids))]);
  return new Map(rows.map((r) => [r.id, r.path]));
}

/**
 * Codes of units whose dated history already changes after `day`: units in the subtrees of `rootIds` and the
 * units `otherIds` themselves. A change cannot be inserted before a later one (it would rewrite it).
 */
export async function changedAfter(em: EntityManager, rootIds: readonly number[], otherIds: readonly number[], day: string): Promise<string[]> {
  if (rootIds.length + otherIds.length === 0) return [];
  const rows: { code: string }[] = await em.execute(
    `select distinct u.code from (
       select s.id from admin_unit r join admin_unit s on s.path <@ r.path where r.id = any(?::int[])
       union select unnest(?::int[])) x
       join admin_unit u on u.id = x.id
       join unit_membership m on m.unit_id = u.id
      where m.valid_from > ?::date or m.valid_to > ?::date
      order by u.code limit 20`,
    [intArray(rootIds), intArray(otherIds), day, day],
  );
  return rows.map((r) => r.code);
}

interface Leg {
  root: number;
  anc: number;
  sign: number;
  depth: number;
}

/**
 * Moves the rollup contributions of each root along its legs (ancestor left: −1, joined: +1) from `day` on.
 *
 * A root's contribution is its rows dated ≤ `day` collapsed into one row at `day`, plus each row dated after it.
 * For a root with no row dated after `day` (every unit when a change is recorded after the reports it follows,
 * as the 2025 reform is) that collapsed row is its rollup_total row (the sum of all its rows, reporters and
 * latest report alike), so the statement reads one row per root and metric instead of every day's row: a
 * unit's daily rows lie on as many heap pages as it has days (they are written day by day), and reading them
 * for the 60,000+ hamlets the national mapping moves took 11 s for 1.2 M rows at 2 hamlets per commune. Roots
 * with later rows (a change back-dated behind reports) still read their rows; whether a root has any is
 * answered from the primary key's index (unit_id, metric, date) alone.
 */
async function transferRollups(em: EntityManager, legs: readonly Leg[], day: string): Promise<void> {
  if (legs.length === 0) return;
  const legsJson = json(legs);
  await em.execute(
    `with l as materialized (select * from jsonb_to_recordset(?::jsonb) as l(root int, anc int, sign int, depth int)),
     roots as materialized (select distinct l.root from l),
     later as materialized (
       select r.root from roots r where exists (select 1 from rollup_change c where c.unit_id = r.root and c.date > ?::date)),
     contribution as (
       select c.unit_id, c.metric, greatest(c.date, ?::date) as date, c.change, c.reporters, c.last_report_at
         from later r join rollup_change c on c.unit_id = r.root
       union all
       select t.unit_id, t.metric, ?::date, t.value, t.reporters, t.last_report_at
         from roots r join rollup_total t on t.unit_id = r.root
        where not exists (select 1 from later x where x.root = r.root))
     insert into rollup_change (unit_id, metric, date, change, reporters, last_report_at)
     select l.anc, c.metric, c.date, sum(c.change * l.sign), sum(c.reporters * l.sign),
            max(case when l.sign > 0 then c.last_report_at end)
       from l join contribution c on c.unit_id = l.root
      group by c.metric, l.anc, c.date
     having sum(c.change * l.sign) <> 0 or sum(c.reporters * l.sign) <> 0
      order by c.metric, min(l.depth), l.anc, 3
     on conflict (unit_id, metric, date) do update
       set change = rollup_change.change + excluded.change, reporters = rollup_change.reporters + excluded.reporters,
           last_report_at = greatest(rollup_change.last_report_at, excluded.last_report_at)`,
    [legsJson, day, day, day],
  );
  await em.execute(
    `insert into rollup_total (unit_id, metric, value, reporters, last_report_at)
     select l.anc, t.metric, sum(t.value * l.sign), sum(t.reporters * l.sign), max(case when l.sign > 0 then t.last_report_at end)
       from jsonb_to_recordset(?::jsonb) as l(root int, anc int, sign int, depth int)
       join rollup_total t on t.unit_id = l.root
      group by t.metric, l.anc
     having sum(t.value * l.sign) <> 0 or sum(t.reporters * l.sign) <> 0
      order by t.metric, min(l.depth), l.anc
     on conflict (unit_id, metric) do update
       set value = rollup_total.value + excluded.value, reporters = rollup_total.reporters + excluded.reporters,
           last_report_at = greatest(rollup_total.last_report_at, excluded.last_report_at)`,
    [legsJson],
  );
}

export interface Reparent {
  unitId: number;
  parentId: number;
}

/**
 * Re-parents units with their subtrees from `day` (≤ today). Roots must be disjoint subtrees and no new parent
 * may lie inside a moved subtree (callers order their steps). Returns how many units changed path.
 */
export async function reparentAt(em: EntityManager, moves: readonly Reparent[], day: string): Promise<number> {
  if (moves.length === 0) return 0;
  const paths = await currentTreePaths(em, moves.flatMap((m) => [m.unitId, m.parentId]));
  const mv = moves.map((m) => ({ unit_id: m.unitId, parent_id: m.parentId, old_path: paths.get(m.unitId)!, new_path: `${paths.get(m.parentId)!}.${m.unitId}` }));
  const mvJson = json(mv);
  const MV = `(select * from jsonb_to_recordset(?::jsonb) as v(unit_id int, parent_id int, old_path ltree, new_path ltree))`;
  // admin_unit first (its row locks order this change against report writers), then the open intervals of the
  // same units, found by id: an open interval's path is the unit's current path, rewritten alike.
  const [{ n }] = await em.execute(
    `with moved as (
       update admin_unit a set
         path = case when a.path = mv.old_path then mv.new_path else mv.new_path || subpath(a.path, nlevel(mv.old_path)) end,
         parent_id = case when a.id = mv.unit_id then mv.parent_id else a.parent_id end, updated_at = now()
        from ${MV} mv where a.path <@ mv.old_path
       returning a.id, a.parent_id, a.path),
     a as (select m.id, m.unit_id, m.valid_from, moved.parent_id, moved.path
             from moved join unit_membership m on m.unit_id = moved.id and m.valid_to is null),
     opened as (insert into unit_membership (unit_id, parent_id, path, valid_from, valid_to)
                select a.unit_id, a.parent_id, a.path, ?::date, null from a where a.valid_from < ?::date returning 1),
     closed as (update unit_membership m set valid_to = ?::date from a where m.id = a.id and a.valid_from < ?::date returning 1),
     rewritten as (update unit_membership m set path = a.path, parent_id = a.parent_id from a where m.id = a.id and a.valid_from >= ?::date returning 1)
     select (select count(*) from moved)::int as n, (select count(*) from opened) + (select count(*) from closed) + (select count(*) from rewritten) as intervals`,
    [mvJson, day, day, day, day, day],
  );
  const legs: Leg[] = [];
  for (const m of mv) {
    const oldIds = m.old_path.split('.').map(Number).slice(0, -1);
    const newIds = m.new_path.split('.').map(Number).slice(0, -1);
    oldIds.forEach((id, depth) => !newIds.includes(id) && legs.push({ root: m.unit_id, anc: id, sign: -1, depth }));
    newIds.forEach((id, depth) => !oldIds.includes(id) && legs.push({ root: m.unit_id, anc: id, sign: 1, depth }));
  }
  await transferRollups(em, legs, day);
  return n;
}

/**
 * Ends units with their whole subtrees at `day` (their last day is the day before): they stop counting
 * anywhere from `day` (their figures as of earlier days are untouched), their intervals close, and
 * units not yet retired get valid_to = day − 1. Returns how many units were newly retired.
 */
export async function closeAt(em: EntityManager, rootIds: readonly number[], day: string): Promise<number> {
  if (rootIds.length === 0) return 0;
  const [{ n }] = await em.execute(
    `with r as (update admin_unit a set valid_to = ?::date - 1, updated_at = now()
                 from admin_unit root where root.id = any(?::int[]) and a.path <@ root.path and a.valid_to is null returning 1)
     select count(*)::int as n from r`,
    [day, intArray(rootIds)],
  );
  const legs: Leg[] = await em.execute(
    `with r as (select id, path from admin_unit where id = any(?::int[]))
     select m.unit_id as root, m.unit_id as anc, -1 as sign, nlevel(m.path) as depth
       from r join admin_unit s on s.path <@ r.path and s.id <> r.id join unit_membership m on m.unit_id = s.id and m.valid_to is null
     union all
     select r.id, x.id::int, -1, x.n::int - 1 from r cross join unnest(string_to_array(r.path::text, '.')::int[]) with ordinality as x(id, n)`,
    [intArray(rootIds)],
  );
  await transferRollups(em, legs, day);
  await em.execute(
    `with a as (select m.id, m.valid_from from admin_unit r join admin_unit s on s.path <@ r.path
                  join unit_membership m on m.unit_id = s.id and m.valid_to is null where r.id = any(?::int[])),
     gone as (delete from unit_membership m using a where m.id = a.id and a.valid_from >= ?::date returning 1)
     update unit_membership m set valid_to = ?::date from a where m.id = a.id and a.valid_from < ?::date`,
    [intArray(rootIds), day, day, day],
  );
  return n;
}

/** Marks units retired from `day` (last day = day − 1) without closing their intervals: they keep counting where they sit. */
export async function markRetired(em: EntityManager, ids: readonly number[], day: string): Promise<void> {
  if (ids.length === 0) return;
  await em.execute(`update admin_unit set valid_to = ?::date - 1, updated_at = now() where id = any(?::int[]) and valid_to is null`, [day, intArray(ids)]);
}

export interface Rename {
  unitId: number;
  name: string;
  kind: string;
}

/** Renames from `day`: the names in force until then go to unit_name_history. Unchanged names are skipped. */
export async function renameAt(em: EntityManager, renames: readonly Rename[], day: string): Promise<number> {
  if (renames.length === 0) return 0;
  const rows: { n: number }[] = await em.execute(
    `with v as (select * from jsonb_to_recordset(?::jsonb) as v(unit_id int, name text, kind text)),
     c as (select u.id, u.name, u.kind, v.name as new_name, v.kind as new_kind,
                  coalesce((select max(h.valid_to) from unit_name_history h where h.unit_id = u.id), '-infinity'::date) as since
             from v join admin_unit u on u.id = v.unit_id where u.name <> v.name or u.kind <> v.kind),
     h as (insert into unit_name_history (unit_id, name, kind, valid_from, valid_to)
           select c.id, c.name, c.kind, c.since, ?::date from c where c.since < ?::date returning 1),
     u as (update admin_unit a set name = c.new_name, kind = c.new_kind, updated_at = now() from c where a.id = c.id returning 1)
     select count(*)::int as n from u`,
    [json(renames.map((r) => ({ unit_id: r.unitId, name: r.name, kind: r.kind }))), day, day],
  );
  return rows[0].n;
}

export interface LineageLink {
  predecessorId: number;
  successorId: number;
  kind: 'MERGED' | 'SPLIT' | 'ABOLISHED';
  carriesFigures: boolean;
  share?: number | null;
}

export async function insertLineage(em: EntityManager, links: readonly LineageLink[], day: string): Promise<void> {
  if (links.length === 0) return;
  await em.execute(
    `insert into unit_lineage (predecessor_id, successor_id, effective_date, kind, carries_figures, share)
     select v.p, v.s, ?::date, v.kind, v.carries, v.share from jsonb_to_recordset(?::jsonb) as v(p int, s int, kind text, carries boolean, share numeric)`,
    [day, json(links.map((l) => ({ p: l.predecessorId, s: l.successorId, kind: l.kind, carries: l.carriesFigures, share: l.share ?? null })))],
  );
}

/** Active children of units (to move them to a successor). */
export async function activeChildren(em: EntityManager, parentIds: readonly number[]): Promise<{ id: number; parentId: number }[]> {
  if (parentIds.length === 0) return [];
  return em.execute(`select id, parent_id as "parentId" from admin_unit where parent_id = any(?::int[]) and valid_to is null order by id`, [intArray(parentIds)]);
}

/** Opens the first interval of units created inside a tree write (the trigger leaves them to us), from `day`. */
export async function openNewUnits(em: EntityManager, ids: readonly number[], day: string): Promise<void> {
  if (ids.length === 0) return;
  await em.execute(
    `insert into unit_membership (unit_id, parent_id, path, valid_from, valid_to)
     select u.id, u.parent_id, u.path, ?::date, null from admin_unit u
      where u.id = any(?::int[]) and not exists (select 1 from unit_membership m where m.unit_id = u.id)`,
    [day, intArray(ids)],
  );
}

/** Each unit's figure per metric as of `day` (its rollup rows dated ≤ day) and its reporters then. */
export async function figuresOn(em: EntityManager, ids: readonly number[], day: string): Promise<{ unitId: number; metric: string; value: number; reporters: number }[]> {
  if (ids.length === 0) return [];
  return em.execute(
    `select unit_id as "unitId", metric, sum(change)::float8 as value, sum(reporters)::int as reporters
       from rollup_change where unit_id = any(?::int[]) and date <= ?::date group by unit_id, metric
     having sum(change) <> 0 or sum(reporters) <> 0`,
    [intArray(ids), day],
  );
}

export interface FixedShare {
  unitId: number;
  metric: string;
  value: number;
  reporters: number;
}

/** Adds fixed amounts at `day` to units and all their ancestors in force (shares of a split unit's figures). */
export async function addFixedAt(em: EntityManager, rows: readonly FixedShare[], day: string): Promise<void> {
  if (rows.length === 0) return;
  const legs = `(select x.id::int as anc, x.n as depth, v.metric, v.value, v.reporters
       from jsonb_to_recordset(?::jsonb) as v(unit_id int, metric text, value bigint, reporters int)
       join admin_unit u on u.id = v.unit_id
       cross join unnest(string_to_array(u.path::text, '.')::int[]) with ordinality as x(id, n))`;
  const data = json(rows.map((r) => ({ unit_id: r.unitId, metric: r.metric, value: r.value, reporters: r.reporters })));
  await em.execute(
    `insert into rollup_change (unit_id, metric, date, change, reporters, last_report_at)
     select l.anc, l.metric, ?::date, sum(l.value), sum(l.reporters), null from ${legs} l
      group by l.metric, l.anc order by l.metric, min(l.depth), l.anc
     on conflict (unit_id, metric, date) do update
       set change = rollup_change.change + excluded.change, reporters = rollup_change.reporters + excluded.reporters`,
    [day, data],
  );
  await em.execute(
    `insert into rollup_total (unit_id, metric, value, reporters, last_report_at)
     select l.anc, l.metric, sum(l.value), sum(l.reporters), null from ${legs} l
      group by l.metric, l.anc order by l.metric, min(l.depth), l.anc
     on conflict (unit_id, metric) do update
       set value = rollup_total.value + excluded.value, reporters = rollup_total.reporters + excluded.reporters`,
    [data],
  );
}

/** Units among `ids` with reports dated on or after `day` (their figures after a change would have no home). */
export async function reportsFrom(em: EntityManager, ids: readonly number[], day: string): Promise<string[]> {
  if (ids.length === 0) return [];
  const rows: { code: string }[] = await em.execute(
    `select distinct u.code from admin_unit r join admin_unit u on u.path <@ r.path
       where r.id = any(?::int[]) and exists (select 1 from progress_report p where p.unit_id = u.id and p.as_of >= ?::date) limit 20`,
    [intArray(ids), day],
  );
  return rows.map((r) => r.code);
}
