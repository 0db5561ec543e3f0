import type { EntityManager } from '@mikro-orm/postgresql';

/**
 * Moves a subtree's rollup contributions when a unit moves from `oldPath` to `newPath` (ltree paths of
 * the moved unit itself, before and after). The moved unit's own rows are exactly what its subtree adds
 * to every ancestor, so they are subtracted from the ancestors it leaves and added to those it joins, in
 * two set-based statements; shared ancestors are untouched. Call it in the same transaction, right
 * AFTER moveSubtree (unit-write.repo.ts) — after, so that the admin_unit row locks come first as they do
 * for report writers. (last_report_at of the ancestors left keeps its
 * value: it is an upper bound, not a sum.)
 *
 * Concurrent reports under the moved unit stay exact: moveSubtree updates the subtree's admin_unit rows,
 * and writeReports reads its units' paths FOR SHARE inside its own transaction, so a writer either
 * finishes before the move (its rows are then moved here) or sees the new path.
 */
export async function moveRollups(em: EntityManager, oldPath: string, newPath: string): Promise<void> {
  const oldIds = oldPath.split('.').map(Number);
  const newIds = newPath.split('.').map(Number);
  const unitId = oldIds[oldIds.length - 1];
  if (newIds[newIds.length - 1] !== unitId) throw new Error('moveRollups: both paths must end with the moved unit');
  const leave = oldIds.slice(0, -1).filter((id) => !newIds.includes(id));
  const join = newIds.slice(0, -1).filter((id) => !oldIds.includes(id));
  const targets = [...leave.map((id) => ({ id, sign: -1, depth: oldIds.indexOf(id) })), ...join.map((id) => ({ id, sign: 1, depth: newIds.indexOf(id) }))];
  if (targets.length === 0) return;
  const json = JSON.stringify(targets);
  await em.execute(
    `insert into rollup_change (unit_id, metric, date, change, reporters, last_report_at)
     select a.id, c.metric, c.date, c.change * a.sign, c.reporters * a.sign, case when a.sign > 0 then c.last_report_at end
       from rollup_change c cross join jsonb_to_recordset(?::jsonb) as a(id int, sign int, depth int)
      where c.unit_id = ?
      order by c.metric, a.depth, a.id, c.date
     on conflict (unit_id, metric, date) do update
       set change = rollup_change.change + excluded.change, reporters = rollup_change.reporters + excluded.reporters,
           last_report_at = greatest(rollup_change.last_report_at, excluded.last_report_at)`,
    [json, unitId],
  );
  await em.execute(
    `insert into rollup_total (unit_id, metric, value, reporters, last_report_at)
     select a.id, t.metric, t.value * a.sign, t.reporters * a.sign, case when a.sign > 0 then t.last_report_at end
       from rollup_total t cross join jsonb_to_recordset(?::jsonb) as a(id int, sign int, depth int)
      where t.unit_id = ?
      order by t.metric, a.depth, a.id
     on conflict (unit_id, metric) do update
       set value = rollup_total.value + excluded.value, reporters = rollup_total.reporters + excluded.reporters,
           last_report_at = greatest(rollup_total.last_report_at, excluded.last_report_at)`,
    [json, unitId],
  );
}
