import { LRUCache } from 'lru-cache';
import type { Context } from '../context';
import { allowed, scope } from '../common/scoped';
import { unitColumns } from '../units/unit.service';
import { reportingUnitRows, type ReportingUnitRow } from './report-write.repo';

/*
 * The units reports are written for, kept across requests, so a report does not read its unit first (bench
 * scenario 4: one statement of four). A kept unit is used only when the caller may read it by the rules the SQL
 * scope applies (the same rules in memory: auth/ability.ts), and every write first checks that the unit still
 * stands as its stamp says (progress_report_write_stamped); a stale one is read again (`fresh`). A unit the caller
 * may not read as kept is read again too: it may have moved into the caller's jurisdiction since.
 */
const units = new LRUCache<number, ReportingUnitRow>({ max: 10_000 });

/** The unit `id` as the caller may read it, or null (out of jurisdiction and nonexistent look the same). */
export async function reportingUnit(ctx: Context, id: number, fresh: boolean): Promise<ReportingUnitRow | null> {
  const kept = fresh ? undefined : units.get(id);
  if (kept && allowed(ctx, 'read', 'Unit', { path: kept.path, id: kept.id })) return kept;
  const [row] = await reportingUnitRows(ctx.em, [id], scope(ctx, 'read', 'Unit', unitColumns));
  if (row) units.set(id, row);
  else if (fresh) units.delete(id); // known stale (the write said so), and no longer readable here
  return row ?? null;
}
