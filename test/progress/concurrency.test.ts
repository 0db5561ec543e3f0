import { Readable } from 'node:stream';
import { Client } from 'pg';
import { startTestApp, type TestApp } from '../support/app';
import { codeOf, gql, ok } from '../support/client';
import { importProgressFile } from '../../src/progress/progress-csv';
import { principalWith, type TestPrincipal } from '../support/principals';
import { todayInVietnam } from '../../src/common/scalars';
import { gridTree, IMPORT, recomputed, REPORT } from './support';

let t: TestApp;
let ids: Record<string, number>;
let globalIds: Map<number, string>;
const METRICS = ['eid.collected', 'cccd.collected', 'reason.no_smartphone'];
const DAYS = ['2023-05-31', '2023-06-01', '2023-06-03', '2023-06-07', '2023-06-10', '2023-06-14', '2023-06-20', todayInVietnam()];

/** Deterministic PRNG so a failure can be replayed. */
function prng(seed: number): () => number {
  return () => {
    seed = (seed + 0x6d2b79f5) | 0;
    let x = Math.imul(seed ^ (seed >>> 15), 1 | seed);
    x = (x + Math.imul(x ^ (x >>> 7), 61 | x)) ^ x;
    return ((x ^ (x >>> 14)) >>> 0) / 4294967296;
  };
}

beforeAll(async () => {
  t = await startTestApp({ DB_POOL_MAX: '30' });
  ids = await gridTree(t, ['A', 'B'], 2, 2, 3);
  const admin = await principalWith(t, [{ role: 'SYSTEM_ADMIN', unit: 'A' }]);
  const list = ok(await gql(t, `{ units(first: 100) { nodes { id code } } }`, {}, admin.token)).units.nodes;
  globalIds = new Map(list.map((n: { id: string; code: string }) => [ids[n.code], n.id]));
});
afterAll(() => t?.close());

/**
 * Sends a write as the API guide tells clients to: a SERVICE_UNAVAILABLE answer (a lock or statement timeout on a
 * loaded machine) is retried after a pause; writes are idempotent, so a retry never counts twice.
 */
async function send(query: string, variables: Record<string, unknown>, token: string) {
  for (let attempt = 1; ; attempt++) {
    const res = await gql(t, query, variables, token);
    if (codeOf(res) !== 'SERVICE_UNAVAILABLE' || attempt === 5) return res;
    await new Promise((r) => setTimeout(r, 250 * attempt));
  }
}

const randomDay = (rand: () => number) => `2023-06-${String(1 + Math.floor(rand() * 20)).padStart(2, '0')}`;
type Row = { unitCode: string; metric: string; asOf: string; value: number };

/** Rows with distinct keys (a file may not give one key two values). */
function rowsOf(rand: () => number, hamlets: string[], metric: string, n: number): Row[] {
  const byKey = new Map<string, Row>();
  for (let k = 0; k < n; k++) {
    const r = { unitCode: hamlets[Math.floor(rand() * hamlets.length)], metric, asOf: randomDay(rand), value: Math.floor(rand() * 1000) };
    byKey.set(`${r.unitCode}|${r.asOf}`, r);
  }
  return [...byKey.values()];
}

describe('exact rollups under concurrent writers', () => {
  it('match a recomputation from the raw reports, through the API and in the rollup tables', async () => {
    const hamlets = Object.keys(ids).filter((c) => c.includes('-'));
    const officers: TestPrincipal[] = [];
    for (const p of ['A', 'B']) for (let i = 0; i < 11; i++) officers.push(await principalWith(t, [{ role: 'OFFICER', unit: p }], `w${p}${i}`));

    const writer = async (officer: TestPrincipal, w: number) => {
      const rand = prng(1000 + w);
      const mine = hamlets.filter((h) => officers.indexOf(officer) < 11 ? h.startsWith('A') : h.startsWith('B'));
      let writes = 0;
      for (let i = 0; i < 12; i++) {
        // few hamlets and days so writers collide on series, days and ancestors
        const hamlet = mine[Math.floor(rand() * 5)];
        const day = `2023-06-${String(1 + Math.floor(rand() * 20)).padStart(2, '0')}`;
        const metrics = METRICS.filter(() => rand() < 0.6);
        if (metrics.length === 0) metrics.push(METRICS[0]);
        const values = metrics.map((metric) => ({ metric, value: Math.floor(rand() * 1000) }));
        const res = await send(REPORT, { input: { unitId: globalIds.get(ids[hamlet]), asOf: day, values, correctionReason: 'kiểm tra đồng thời' } }, officer.token);
        ok(res);
        writes++;
        if (rand() < 0.3) {
          // an immediate repeat: idempotent unless another writer corrected the same key in between
          const again = ok(await send(REPORT, { input: { unitId: globalIds.get(ids[hamlet]), asOf: day, values, correctionReason: 'lặp lại' } }, officer.token));
          expect(again.reportProgress.changed).toBeLessThanOrEqual(values.length);
        }
      }
      return writes;
    };
    // At the same time: importProgress of reason counts on the reporters' hamlets and days (same series) and of
    // collected totals on the other hamlets (same ancestors; rising with the day, so most pass the rules), and the
    // chunked file import of the CLI on the reporters' hamlets.
    const shared = [...hamlets.filter((h) => h.startsWith('A')).slice(0, 5), ...hamlets.filter((h) => h.startsWith('B')).slice(0, 5)];
    const others = hamlets.filter((h) => !shared.includes(h));
    const importer = await principalWith(t, [{ role: 'OFFICER', unit: 'A' }, { role: 'OFFICER', unit: 'B' }], 'importer');
    const imports = async (w: number) => {
      const rand = prng(7000 + w);
      let written = 0;
      for (let i = 0; i < 6; i++) {
        ok(await send(IMPORT, { input: { rows: rowsOf(rand, shared, 'reason.no_smartphone', 15) } }, importer.token));
        const rising = rowsOf(rand, others, 'eid.collected', 4).map((r) => ({ ...r, value: Number(r.asOf.slice(8)) * 10 + w }));
        const r = await send(IMPORT, { input: { rows: rising } }, importer.token);
        if (r.errors) expect(codeOf(r)).toBe('BAD_USER_INPUT');
        else written++;
      }
      return written;
    };
    // the file import on two sessions, as the CLI runs it on two CPUs
    const fileImport = async () => {
      const rand = prng(9000);
      const sessions = [0, 1].map(() => new Client({ connectionString: t.dbUrl }));
      await Promise.all(sessions.map((c) => c.connect()));
      try {
        const rows = rowsOf(rand, shared, 'reason.no_smartphone', 60);
        const body = ['unit_code,metric,as_of,value', ...rows.map((r) => `${r.unitCode},${r.metric},${r.asOf},${r.value}`)].join('\n');
        return await importProgressFile(sessions, () => Readable.from([body]), { requestId: 'concurrency-file', chunkRows: 8 });
      } finally {
        await Promise.all(sessions.map((c) => c.end()));
      }
    };
    const [counts, imported, file] = await Promise.all([Promise.all(officers.map((o, w) => writer(o, w))), Promise.all([0, 1].map(imports)), fileImport()]);
    expect(counts.reduce((a, b) => a + b, 0)).toBe(22 * 12);
    expect(file.rows).toBeGreaterThan(20);
    expect(imported.reduce((a, b) => a + b, 0)).toBeGreaterThan(0);
    console.log(`concurrent writers: ${22 * 12} reports, 12 reason imports, ${imported.reduce((a, b) => a + b, 0)} of 12 collected imports written, a ${file.rows}-row file`);
    const reports = await t.sql<{ n: number }>('select count(*)::int as n from progress_report');
    expect(reports[0].n).toBeGreaterThan(50);

    const truth = await recomputed(t, DAYS);
    const admin = await principalWith(t, [{ role: 'SYSTEM_ADMIN', unit: 'A' }]);
    let compared = 0;
    for (const metric of METRICS) {
      const fields = DAYS.map((d, i) => `d${i}: progress(metric: "${metric}", asOf: "${d}") { value reportedUnits }`).join(' ');
      const nodes = ok(await gql(t, `{ units(first: 100) { nodes { id code ${fields} } } }`, {}, admin.token)).units.nodes;
      for (const n of nodes) {
        DAYS.forEach((d, i) => {
          const expected = truth.get(`${ids[n.code]}|${metric}|${d}`)!;
          expect({ unit: n.code, metric, d, value: n[`d${i}`].value, reported: n[`d${i}`].reportedUnits }).toEqual({
            unit: n.code, metric, d, value: expected.value, reported: expected.reported,
          });
          compared++;
        });
      }
    }
    expect(compared).toBe(METRICS.length * 38 * DAYS.length);

    // The tables themselves: totals equal today's truth, change sums equal every day's truth.
    const totals = await t.sql<{ unit_id: number; metric: string; value: string; reporters: number }>('select * from rollup_total');
    for (const r of totals) {
      const expected = truth.get(`${r.unit_id}|${r.metric}|${todayInVietnam()}`)!;
      expect([r.unit_id, r.metric, Number(r.value), r.reporters]).toEqual([r.unit_id, r.metric, expected.value, expected.reported]);
    }
    const sums = await t.sql<{ unit_id: number; metric: string; day: string; value: string; reporters: string }>(
      `select c.unit_id, c.metric, to_char(d.day, 'YYYY-MM-DD') as day, sum(c.change)::text as value, sum(c.reporters)::text as reporters
         from rollup_change c join unnest($1::date[]) as d(day) on c.date <= d.day group by 1, 2, 3`,
      [DAYS],
    );
    for (const r of sums) {
      const expected = truth.get(`${r.unit_id}|${r.metric}|${r.day}`)!;
      expect([r.unit_id, r.metric, r.day, Number(r.value), Number(r.reporters)]).toEqual([r.unit_id, r.metric, r.day, expected.value, expected.reported]);
    }
    // nothing lost: every report's latest history row holds its value, and every write's history has its audit entry
    const [{ n: drift }] = await t.sql<{ n: number }>(
      `select count(*)::int as n from progress_report r
        where r.value <> (select h.new_value from progress_history h where h.report_id = r.id order by h.id desc limit 1)`,
    );
    expect(drift).toBe(0);
    const [{ n: unaudited }] = await t.sql<{ n: number }>(
      `select count(*)::int as n from progress_history h
        where not exists (select 1 from audit_entry a where a.request_id = h.request_id and a.object_type = 'ProgressReport')`,
    );
    expect(unaudited).toBe(0);
  });
});
