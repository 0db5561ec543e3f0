import type { EntityManager } from '@mikro-orm/postgresql';
import { BadUserInputError, type ProblemList } from '../common/errors';
import { todayInVietnam } from '../common/scalars';
import { changedAfter } from './tree-write.repo';

type FieldPath = (string | number)[];

/**
 * A structural change takes effect on a day that is not in the future (figures of today must already read the
 * new tree, and rollup_total holds today's figure) and on which every unit involved exists.
 */
export function checkEffectiveDate(problems: ProblemList, path: FieldPath, day: string, units: readonly { code: string; validFrom: string; validTo: string | null }[]): string {
  const today = todayInVietnam();
  if (day > today) problems.add(path, `The effective date ${day} is in the future (today is ${today} in Vietnam); apply the change on or after its day.`);
  for (const u of units) {
    if (u.validFrom > day) problems.add(path, `Unit ${u.code} does not exist yet on ${day} (valid from ${u.validFrom}).`);
    else if (u.validTo !== null && u.validTo < day) problems.add(path, `Unit ${u.code} no longer exists on ${day} (retired after ${u.validTo}).`);
  }
  return day;
}

/** Refuses a change dated before a change already recorded for the same units (it would rewrite history after it). */
export async function refuseEarlierThanRecorded(em: EntityManager, rootIds: readonly number[], otherIds: readonly number[], day: string, path: FieldPath): Promise<void> {
  const codes = await changedAfter(em, rootIds, otherIds, day);
  if (codes.length > 0) {
    throw BadUserInputError.field(path, `A later change is already recorded for unit(s) ${codes.join(', ')}; a change on ${day} cannot be inserted before it.`);
  }
}
