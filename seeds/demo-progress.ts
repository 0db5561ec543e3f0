import type { EntityManager } from '@mikro-orm/postgresql';
import { unscoped } from '../src/common/scoped';
import { todayInVietnam } from '../src/common/scalars';
import { createRawStaging, emSql, stageRows, type StagedRow } from '../src/progress/progress-bulk.repo';
import { writeStagedAtomically } from '../src/progress/progress-bulk.service';
import type { ReportUnit } from '../src/progress/progress-rules';
import { DEMO_CODES } from './demo-units';

/**
 * Demo progress: the figures of DOMAIN.md spread over the demo hamlets so that the rollups reproduce them
 * exactly, plus two earlier reports per hamlet (half and four fifths of the final figure, 60 and 30 days
 * before) so that series have a shape. Where the articles give both collected and activated, the gap
 * (not yet activated) is explained by SYNTHETIC reason figures in every hamlet, so the reasons panel has data.
 */
interface DemoFigure {
  unitCode: string;
  asOf: string;
  /** Totals by metric, in pipeline order when several (collected ≥ approved ≥ activated). */
  totals: Partial<Record<'eid.collected' | 'eid.approved' | 'eid.activated', number>>;
  /** Or shares of the unit's eligible citizens (the articles give some figures as percentages). */
  shares?: Partial<Record<'eid.collected' | 'eid.approved' | 'eid.activated', number>>;
}

export const DEMO_PROGRESS: readonly DemoFigure[] = [
  // Núi Thành: collected 52,000 and activated 23,048 as of 30/6/2023 (approved: not in the article, a value between).
  { unitCode: DEMO_CODES.nuiThanh, asOf: '2023-06-30', totals: { 'eid.collected': 52_000, 'eid.approved': 40_000, 'eid.activated': 23_048 } },
  // Sóc Trăng: 354,938 activated as of 23/10/2023.
  { unitCode: DEMO_CODES.socTrang, asOf: '2023-10-23', totals: { 'eid.activated': 354_938 } },
  // Bình Dương: 556,290 approved, 172,986 activated (March 2023; the youth-month report of 21/3/2023).
  { unitCode: DEMO_CODES.binhDuong, asOf: '2023-03-21', totals: { 'eid.approved': 556_290, 'eid.activated': 172_986 } },
  // Cao Bằng: 278,698 collected, 245,710 activated (reported with the 25/8/2023 milestone).
  { unitCode: DEMO_CODES.caoBang, asOf: '2023-08-25', totals: { 'eid.collected': 278_698, 'eid.activated': 245_710 } },
  // P. Xuân An (Long Khánh, Đồng Nai): 86% of residents installed and activated (July 2023).
  { unitCode: DEMO_CODES.xuanAn, asOf: '2023-07-31', totals: {}, shares: { 'eid.collected': 0.93, 'eid.activated': 0.86 } },
];

/** SYNTHETIC split of the not-yet-activated (collected − activated) among the reasons, in shares of 100. */
export const DEMO_REASON_SHARES: readonly [metric: string, share: number][] = [
  ['reason.no_smartphone', 30], ['reason.working_away', 25], ['reason.sim_not_own_name', 12], ['reason.needs_home_visit', 10],
  ['reason.moved_away', 8], ['reason.no_network', 6], ['reason.approval_pending', 5], ['reason.recollect_software_error', 2], ['reason.other', 2],
];

const PIPELINE = ['eid.collected', 'eid.approved', 'eid.activated'] as const;
const EARLIER: readonly [days: number, share: number][] = [[60, 0.5], [30, 0.8]];

/** Largest-remainder split of `total` by `weights` (ties to the earlier index): exact and deterministic. */
export function largestRemainder(total: number, weights: readonly number[]): number[] {
  const sum = weights.reduce((a, b) => a + b, 0);
  const exact = weights.map((w) => (total * w) / sum);
  const out = exact.map(Math.floor);
  let left = total - out.reduce((a, b) => a + b, 0);
  const order = exact.map((x, i) => ({ i, r: x - Math.floor(x) })).sort((a, b) => b.r - a.r || a.i - b.i);
  for (const { i } of order) {
    if (left-- <= 0) break;
    out[i]++;
  }
  return out;
}

const minusDays = (day: string, n: number): string => new Date(Date.parse(`${day}T00:00:00Z`) - n * 86_400_000).toISOString().slice(0, 10);

/** Loads the demo progress (idempotent: a second run changes nothing). Needs seedDemoUnits first; runs in the caller's transaction. */
export async function seedDemoProgress(em: EntityManager): Promise<{ changed: number }> {
  const hamlets: (ReportUnit & { unitCode: string; weight: number })[] = await em.execute(
    `select p.code as "unitCode", h.id, h.code, h.path::text as path, h.level, to_char(h.valid_from, 'YYYY-MM-DD') as "validFrom",
            to_char(h.valid_to, 'YYYY-MM-DD') as "validTo", coalesce(h.eligible_citizens, 1) as weight
       from admin_unit p join admin_unit h on h.path <@ p.path and h.level = 'HAMLET'
      where p.code in (${DEMO_PROGRESS.map(() => '?').join(',')})
      order by h.code`,
    DEMO_PROGRESS.map((f) => f.unitCode),
  );
  const rows: StagedRow[] = [];
  for (const figure of DEMO_PROGRESS) {
    const under = hamlets.filter((h) => h.unitCode === figure.unitCode);
    if (under.length === 0) throw new Error(`seedDemoProgress: no hamlets under ${figure.unitCode}; run seedDemoUnits first.`);
    const weights = under.map((h) => h.weight);
    const eligible = weights.reduce((a, b) => a + b, 0);
    const totals = { ...figure.totals };
    for (const [code, share] of Object.entries(figure.shares ?? {})) totals[code as keyof typeof totals] = Math.round(eligible * share);
    // Nested split (activated, then approved − activated, then collected − approved) keeps the pipeline per hamlet.
    const perHamlet = new Map<string, number[]>();
    let running = under.map(() => 0);
    let previous = 0;
    for (const code of [...PIPELINE].reverse()) {
      const total = totals[code];
      if (total === undefined) continue;
      const part = largestRemainder(total - previous, weights);
      running = running.map((v, i) => v + part[i]);
      perHamlet.set(code, running);
      previous = total;
    }
    for (const [code, values] of perHamlet) {
      under.forEach((unit, i) => {
        const days: [string, number][] = [...EARLIER.map(([d, share]): [string, number] => [minusDays(figure.asOf, d), Math.floor(values[i] * share)]), [figure.asOf, values[i]]];
        for (const [asOf, value] of days) {
          rows.push({ line: rows.length + 1, unitCode: unit.code, metric: code, asOf, value, note: 'Demo data (DOMAIN.md)' });
        }
      });
    }
    const collected = perHamlet.get('eid.collected');
    const activated = perHamlet.get('eid.activated');
    if (collected && activated) {
      under.forEach((unit, i) => {
        const gap = collected[i] - activated[i];
        const split = largestRemainder(gap, DEMO_REASON_SHARES.map(([, s]) => s));
        DEMO_REASON_SHARES.forEach(([code], k) => {
          if (split[k] > 0) rows.push({ line: rows.length + 1, unitCode: unit.code, metric: code, asOf: figure.asOf, value: split[k], note: 'Demo data (synthetic reasons)' });
        });
      });
    }
  }
  const sql = emSql(em);
  await createRawStaging(sql, 1, true);
  await stageRows(sql, rows);
  const out = await writeStagedAtomically(
    sql,
    { principalId: null, requestId: 'seed:demo-progress', unitScope: unscoped('the demo seed writes as the system'), today: todayInVietnam(), label: 'Row', chunkRows: rows.length, pathOf: () => ['seed'] },
    false,
  );
  return { changed: out.changed };
}
