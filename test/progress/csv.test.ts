import { Readable } from 'node:stream';
import { Client } from 'pg';
import { startTestApp, type TestApp } from '../support/app';
import { importProgressFile } from '../../src/progress/progress-csv';
import type { BulkResult, ChunkDone } from '../../src/progress/progress-bulk.service';
import { gridTree, progressTables, recomputed } from './support';

let t: TestApp;
let ids: Record<string, number>;
beforeAll(async () => {
  t = await startTestApp();
  ids = await gridTree(t, ['A'], 1, 2, 3);
});
afterAll(() => t?.close());

const csv = (lines: string[], header = 'unit_code,metric,as_of,value') => Readable.from([`${header}\n${lines.join('\n')}\n`]);
const HAMLETS = ['A1a-1', 'A1a-2', 'A1a-3', 'A1b-1', 'A1b-2', 'A1b-3'];
const LINES = HAMLETS.flatMap((c, i) => [`${c},eid.collected,2023-06-01,${100 + i}`, `${c},eid.collected,2023-06-02,${200 + i}`]);

/** Runs the file import on a session of its own, as the CLI does. */
async function importFile(input: Readable, chunkRows: number, onChunk?: (c: ChunkDone) => void): Promise<BulkResult> {
  return importOnSessions(1, () => input, chunkRows, onChunk);
}

/** The file import on `n` sessions writing its chunks together (the CLI's --workers). */
async function importOnSessions(n: number, open: () => Readable, chunkRows: number, onChunk?: (c: ChunkDone) => void): Promise<BulkResult> {
  const sessions = Array.from({ length: n }, () => new Client({ connectionString: t.dbUrl }));
  await Promise.all(sessions.map((c) => c.connect()));
  try {
    return await importProgressFile(sessions, open, { requestId: 'test-import', chunkRows, onChunk });
  } finally {
    await Promise.all(sessions.map((c) => c.end()));
  }
}

async function expectExact(days: string[]): Promise<void> {
  const truth = await recomputed(t, [...days, '2099-01-01']);
  const sums = await t.sql<{ unit_id: number; day: string; value: string; reporters: string }>(
    `select c.unit_id, to_char(d.day, 'YYYY-MM-DD') as day, sum(c.change)::text as value, sum(c.reporters)::text as reporters
       from rollup_change c join unnest($1::date[]) as d(day) on c.date <= d.day where c.metric = 'eid.collected' group by 1, 2`,
    [days],
  );
  expect(sums.length).toBeGreaterThan(0);
  for (const s of sums) {
    const want = truth.get(`${s.unit_id}|eid.collected|${s.day}`)!;
    expect([s.unit_id, s.day, Number(s.value), Number(s.reporters)]).toEqual([s.unit_id, s.day, want.value, want.reported]);
  }
  const totals = await t.sql<{ unit_id: number; value: string; reporters: number }>(`select unit_id, value::text, reporters from rollup_total where metric = 'eid.collected'`);
  for (const r of totals) {
    const want = truth.get(`${r.unit_id}|eid.collected|2099-01-01`)!;
    expect([r.unit_id, Number(r.value), r.reporters]).toEqual([r.unit_id, want.value, want.reported]);
  }
}

describe('CSV import as the system (npm run import:progress)', () => {
  it('refuses a file with bad lines as a whole, naming every bad line', async () => {
    const before = await progressTables(t);
    const bad = [
      ...LINES.slice(0, 4),
      'A1b-1,eid.collected,2023-06-01,abc', // 6: not a number
      'ZZZ,eid.collected,2023-06-03,1', // 7: unknown unit
      'A1a-1,eid.collected,2023-06-03,50', // 8: below line 3 (100 on 06-02... here 200 on 06-02)
      'A1a-2,eid.activated,2023-05-30,5', // 9: activated before any collected
      ...LINES.slice(4),
    ];
    const err = await importFile(csv(bad), 4).catch((e) => e);
    expect(err.extensions?.code ?? err.code).toBe('BAD_USER_INPUT');
    expect(err.problems.map((p: { row: number }) => p.row)).toEqual([6, 7, 8, 9]);
    expect(err.problems[0].message).toMatch(/^Line 6:/);
    expect(await progressTables(t)).toBe(before);
  });

  it('refuses a wrong header or a line of the wrong shape, naming the line', async () => {
    await expect(importFile(csv(LINES, 'code,metric,day,value'), 4)).rejects.toThrow(/header must be unit_code,metric,as_of,value/);
    const err = await importFile(csv([...LINES.slice(0, 2), 'A1a-1,eid.collected,2023-06-03']), 4).catch((e) => e);
    expect(err.problems[0].row).toBe(4);
    expect(err.message).toMatch(/^Line 4:/);
  });

  it('commits chunk by chunk; an interrupted run keeps its chunks, and a re-run completes without counting twice', async () => {
    const version = async () => Number((await t.sql<{ v: string }>('select last_value::text as v from data_version_seq'))[0].v);
    const v0 = await version();
    const seen: string[] = [];
    await expect(
      importFile(csv(LINES), 4, (c) => {
        seen.push(`${c.chunk}/${c.chunks}:${c.rows}:${c.changed}`);
        throw new Error('interrupted');
      }),
    ).rejects.toThrow('interrupted');
    expect(seen).toEqual(['1/3:4:4']);
    expect((await t.sql('select 1 from progress_report'))).toHaveLength(4);
    await expectExact(['2023-06-01', '2023-06-02']);

    const chunks: string[] = [];
    const totals = await importFile(csv(LINES), 4, (c) => chunks.push(`${c.chunk}/${c.chunks}:${c.rows}:${c.changed}`));
    expect(chunks).toEqual(['1/3:4:0', '2/3:4:4', '3/3:4:4']);
    expect(totals).toEqual({ rows: 12, changed: 8, unchanged: 4 });
    await expectExact(['2023-05-31', '2023-06-01', '2023-06-02']);
    const [total] = await t.sql<{ value: string; reporters: number }>(`select t.value::text, t.reporters from rollup_total t where t.unit_id = $1 and metric = 'eid.collected'`, [ids.A]);
    expect([Number(total.value), total.reporters]).toEqual([200 + 201 + 202 + 203 + 204 + 205, 6]);
    const [audit] = await t.sql<{ n: number; p: number }>(`select count(*)::int as n, count(principal_id)::int as p from audit_entry where action = 'progress.import'`);
    expect(audit).toEqual({ n: 3, p: 0 });
    const [{ n: history }] = await t.sql<{ n: number }>('select count(*)::int as n from progress_history');
    expect(history).toBe(12);
    // every committed chunk that wrote moved the data version (the response cache's key): 1 + 2
    expect((await version()) - v0).toBe(3);
  });

  it('several sessions write the chunks together: each chunk once, rollups exact; a bad file is refused once, whole', async () => {
    const lines = HAMLETS.flatMap((c, i) => [`${c},eid.collected,2023-07-01,${300 + i}`, `${c},eid.collected,2023-07-02,${400 + i}`]);
    const before = await progressTables(t);
    // bad lines in several sessions' shares: one error naming them all, in line order
    const badLines = [...lines.slice(0, 5), 'A1a-9,eid.collected,2023-07-03,10', lines[5], 'A1b-3,eid.collected,2023-07-03,1', 'A1b-1,eid.collected,2023-07-03,x', ...lines.slice(6)];
    const bad = await importOnSessions(3, () => csv(badLines), 4).catch((e) => e);
    expect(bad.problems.map((p: { row: number }) => p.row)).toEqual([7, 9, 10]);
    expect(bad.message).toMatch(/^3 lines cannot be imported; nothing was written\. Line 7: unknown unit code "A1a-9"/);
    expect(await progressTables(t)).toBe(before);
    // a fall is found under the chunk's locks: the other sessions' chunks may have committed, and the error says how many
    const reports = async () => (await t.sql<{ n: number }>(`select count(*)::int as n from progress_report where as_of >= '2023-07-01'`))[0].n;
    const fall = await importOnSessions(3, () => csv([...lines.slice(0, 5), 'A1a-3,eid.collected,2023-07-03,10', ...lines.slice(5)]), 4).catch((e) => e);
    expect(fall.problems.map((p: { row: number }) => p.row)).toEqual([7]);
    expect(fall.message).toMatch(/; (nothing was written|[1-9]\d* of \d+ chunks were written \(running the file again writes the rest\))\. Line 7:/);
    const stored = await reports();
    expect(stored).toBeLessThanOrEqual(10); // the refused chunk holds A1a-3's rows
    const [refusedUnit] = await t.sql<{ n: number }>(`select count(*)::int as n from progress_report r join admin_unit u on u.id = r.unit_id where u.code = 'A1a-3' and r.as_of >= '2023-07-01'`);
    expect(refusedUnit.n).toBe(0);
    await expectExact(['2023-06-02', '2023-07-01', '2023-07-02']);

    const seen: { chunk: number; chunks: number; changed: number }[] = [];
    const totals = await importOnSessions(2, () => csv(lines), 4, (c) => seen.push(c));
    expect(totals).toEqual({ rows: 12, changed: 12 - stored, unchanged: stored });
    expect(seen.map((c) => c.chunk).sort()).toEqual(seen.map((_, i) => i + 1));
    expect(seen.every((c) => c.chunks === seen.length)).toBe(true);
    expect(seen.reduce((n, c) => n + c.changed, 0)).toBe(12 - stored);
    await expectExact(['2023-06-02', '2023-06-30', '2023-07-01', '2023-07-02']);
    const again = await importOnSessions(2, () => csv(lines), 4);
    expect(again).toEqual({ rows: 12, changed: 0, unchanged: 12 });
  });

  it('an identical re-run writes nothing at all', async () => {
    const before = await progressTables(t);
    const totals = await importFile(csv(LINES), 100);
    expect(totals).toEqual({ rows: 12, changed: 0, unchanged: 12 });
    expect(await progressTables(t)).toBe(before);
  });
});
