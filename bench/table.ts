import type { Goal } from './report';

/** Text-table helpers of the bench's printed summary. */
export const f = (n: number | undefined | null, digits = 0): string =>
  n === undefined || n === null || Number.isNaN(n) ? '—' : n === Infinity ? '∞' : n.toLocaleString('en-US', { maximumFractionDigits: digits, minimumFractionDigits: digits });
export const verdict = (g: Goal): string => (g.pass === null ? 'n/a' : g.pass ? 'PASS' : 'MISS');

/** Columns padded to their widest cell; the `left` ones left-aligned. */
export function renderTable(head: string[], rows: string[][], left: Set<number>): string[] {
  const all = [head, ...rows];
  const widths = head.map((_, i) => Math.max(...all.map((row) => (row[i] ?? '').length)));
  const line = (row: string[]) => row.map((c, i) => (left.has(i) ? (c ?? '').padEnd(widths[i]) : (c ?? '').padStart(widths[i]))).join('  ').trimEnd();
  return [line(head), widths.map((w) => '-'.repeat(w)).join('  '), ...rows.map(line)];
}


/** A ratio to 2 decimals, truncated: 1.996 must not print as the 2.00 it misses. */
export const ratio = (x: number | undefined): string => (x === undefined ? '' : `${f(Math.floor(x * 100) / 100, 2)}×`);
