import type { Goal } from './report';
import { f, ratio } from './table';

/** The goals of issue 12 for the dashboards (scenario 1 national, 2 province), checked per document of ours. */
const TARGETS: Record<1 | 2, { ratioToPeer: number; p99?: number }> = {
  1: { ratioToPeer: 3, p99: 50 },
  2: { ratioToPeer: 2 },
};
const UNLOADED_OVER_FLOOR = 2;
export const MAX_RSS_MB = 512;

export interface GoalInput {
  /** Short label of the document ("ranking", "figures"). */
  label: string;
  ratioToPeer?: number;
  p99: number;
  unloadedP50?: number | null;
  floorUnloadedMedian?: number;
}

export function dashboardGoals(id: 1 | 2, docs: GoalInput[], maxRssMb: number): { goals: Goal[]; goal: Goal } {
  const t = TARGETS[id];
  const goals: Goal[] = [];
  for (const d of docs) {
    goals.push(
      d.ratioToPeer === undefined
        ? { text: `${d.label}: ≥ ${t.ratioToPeer}× the peer's req/s (no peer in this run)`, pass: null }
        : { text: `${d.label}: ≥ ${t.ratioToPeer}× the peer's req/s (${ratio(d.ratioToPeer)})`, pass: d.ratioToPeer >= t.ratioToPeer },
    );
    if (t.p99 !== undefined) goals.push({ text: `${d.label}: p99 ≤ ${t.p99} ms (${f(d.p99, 1)} ms)`, pass: d.p99 <= t.p99 });
    const unloaded = d.unloadedP50 ?? null;
    const floor = d.floorUnloadedMedian;
    goals.push(
      unloaded === null || floor === undefined
        ? { text: `${d.label}: unloaded p50 ≤ ${UNLOADED_OVER_FLOOR}× SQL floor (not measured)`, pass: null }
        : { text: `${d.label}: unloaded p50 ≤ ${UNLOADED_OVER_FLOOR}× SQL floor (${f(unloaded, 2)} ms vs floor ${f(floor, 2)} ms: ${ratio(unloaded / floor)})`, pass: unloaded <= UNLOADED_OVER_FLOOR * floor },
    );
  }
  goals.push({ text: `max RSS ≤ ${MAX_RSS_MB} MB (${f(maxRssMb)} MB)`, pass: maxRssMb <= MAX_RSS_MB });
  const missed = goals.filter((g) => g.pass === false).length;
  const measured = goals.filter((g) => g.pass !== null).length;
  const text = `${measured - missed} of ${goals.length} goals met${measured < goals.length ? ` (${goals.length - measured} not measured)` : ''}`;
  return { goals, goal: { text, pass: missed > 0 ? false : measured === goals.length ? true : null } };
}
