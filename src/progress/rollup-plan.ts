/*
 * In-memory planning of rollup changes (no I/O, so it is easy to reason about and test).
 *
 * A series is one reporting unit's values of one metric. Its value on day D is its latest report on or
 * before D (0 before the first). We store each report's change over the previous report; a rollup on D
 * is the sum of changes dated <= D over the unit and everything beneath. Writing reports into a series
 * changes the change of (a) each written day and (b) the report that directly follows a written day;
 * nothing else. So, given the existing reports of the series between the report before the first
 * written day and the report after the last written day (the "window"), the difference between the
 * old and the new change of every day in the window is exactly what the rollups must add.
 */

export interface Point {
  asOf: string;
  value: number;
}

export interface SeriesDelta {
  date: string;
  change: number;
  /** +1 where the series now starts, −1 where it used to start. */
  reporters: number;
}

export interface SeriesPlan {
  /** Written days whose value differs from what is stored (new keys and corrections), with the old value. */
  changed: { asOf: string; value: number; oldValue: number | null }[];
  /** Written days whose value is already stored (idempotent repeats). */
  unchanged: string[];
  deltas: SeriesDelta[];
  /** The value of the latest report strictly before `date` once the writes are applied (0 when none). */
  previousOf(date: string): number;
}

/**
 * `window`: existing reports of the series from the latest one before the first written day (if any)
 * through the earliest one after the last written day (if any), in any order.
 * `writes`: at most one value per day.
 */
export function planSeries(window: readonly Point[], writes: readonly Point[]): SeriesPlan {
  const lo = writes.reduce((m, w) => (w.asOf < m ? w.asOf : m), writes[0].asOf);
  const oldMap = new Map(window.map((p) => [p.asOf, p.value]));
  const newMap = new Map(oldMap);
  const changed: SeriesPlan['changed'] = [];
  const unchanged: string[] = [];
  for (const w of writes) {
    const old = oldMap.get(w.asOf);
    if (old === w.value) unchanged.push(w.asOf);
    else changed.push({ asOf: w.asOf, value: w.value, oldValue: old ?? null });
    newMap.set(w.asOf, w.value);
  }
  const days = [...newMap.keys()].sort();
  const previousOf = (date: string): number => {
    let prev = 0;
    for (const d of days) {
      if (d >= date) break;
      prev = newMap.get(d)!;
    }
    return prev;
  };
  if (changed.length === 0) return { changed, unchanged, deltas: [], previousOf };

  const deltas: SeriesDelta[] = [];
  let prevOld = 0;
  let prevNew = 0;
  for (const d of days) {
    const newValue = newMap.get(d)!;
    const oldValue = oldMap.get(d);
    if (d < lo) {
      // The report before the window: its own change is untouched, it only gives the starting value.
      prevOld = oldValue!;
      prevNew = newValue;
      continue;
    }
    const diff = newValue - prevNew - (oldValue === undefined ? 0 : oldValue - prevOld);
    if (diff !== 0) deltas.push({ date: d, change: diff, reporters: 0 });
    if (oldValue !== undefined) prevOld = oldValue;
    prevNew = newValue;
  }

  // Where the series starts: only moves when no report precedes the first written day.
  const startsBefore = window.some((p) => p.asOf < lo);
  if (!startsBefore) {
    const oldFirst = window.length ? window.map((p) => p.asOf).sort()[0] : null;
    if (oldFirst === null || lo < oldFirst) {
      addReporters(deltas, lo, 1);
      if (oldFirst !== null) addReporters(deltas, oldFirst, -1);
    }
  }
  return { changed, unchanged, deltas, previousOf };
}

function addReporters(deltas: SeriesDelta[], date: string, n: number): void {
  const row = deltas.find((d) => d.date === date);
  if (row) row.reporters += n;
  else deltas.push({ date, change: 0, reporters: n });
}

export interface RollupRow {
  unitId: number;
  metric: string;
  date: string;
  change: number;
  reporters: number;
  touched: boolean;
}

export interface TotalRow {
  unitId: number;
  metric: string;
  value: number;
  reporters: number;
}

/**
 * Spreads series deltas to the reporting unit and each of its ancestors (ids from its ltree path),
 * summing rows that land on the same (unit, metric, day), and the totals per (unit, metric).
 * Rows come out in one fixed order (metric, depth root first, unit, day) so concurrent writers lock alike.
 */
export interface SpreadSeries {
  path: string;
  metric: string;
  deltas: readonly SeriesDelta[];
  /** Days written (their rows get last_report_at = now()). */
  touchedDays: readonly string[];
}

export function spreadToAncestors(series: readonly SpreadSeries[]): { changes: RollupRow[]; totals: TotalRow[] } {
  const changes = new Map<string, RollupRow & { depth: number }>();
  const totals = new Map<string, TotalRow & { depth: number }>();
  for (const s of series) {
    const ids = s.path.split('.').map(Number);
    ids.forEach((unitId, depth) => {
      for (const d of s.deltas) {
        const key = `${unitId}|${s.metric}|${d.date}`;
        const row = changes.get(key) ?? { unitId, metric: s.metric, date: d.date, change: 0, reporters: 0, touched: false, depth };
        row.change += d.change;
        row.reporters += d.reporters;
        changes.set(key, row);
      }
      for (const day of s.touchedDays) {
        const key = `${unitId}|${s.metric}|${day}`;
        const row = changes.get(key) ?? { unitId, metric: s.metric, date: day, change: 0, reporters: 0, touched: false, depth };
        row.touched = true;
        changes.set(key, row);
      }
      const tkey = `${unitId}|${s.metric}`;
      const total = totals.get(tkey) ?? { unitId, metric: s.metric, value: 0, reporters: 0, depth };
      for (const d of s.deltas) {
        total.value += d.change;
        total.reporters += d.reporters;
      }
      totals.set(tkey, total);
    });
  }
  const order = <T extends { metric: string; depth: number; unitId: number }>(a: T, b: T) =>
    a.metric < b.metric ? -1 : a.metric > b.metric ? 1 : a.depth - b.depth || a.unitId - b.unitId;
  return {
    changes: [...changes.values()].sort((a, b) => order(a, b) || (a.date < b.date ? -1 : a.date > b.date ? 1 : 0)).map(({ depth: _d, ...r }) => r),
    totals: [...totals.values()].sort(order).map(({ depth: _d, ...r }) => r),
  };
}
