import { Readable } from 'node:stream';
import { startTestApp, type TestApp } from '../support/app';
import { systemContext } from '../../src/system-context';
import { importProgressCsv } from '../../src/progress/progress-csv';
import { gridTree } from './support';

let t: TestApp;
beforeAll(async () => {
  t = await startTestApp();
  await gridTree(t, ['A'], 1, 2, 3);
});
afterAll(() => t?.close());

const csv = (lines: string[]) => Readable.from([`unit_code,metric,as_of,value\n${lines.join('\n')}\n`]);
const LINES = ['A1a-1', 'A1a-2', 'A1a-3', 'A1b-1', 'A1b-2', 'A1b-3'].flatMap((c, i) => [`${c},eid.collected,2023-06-01,${100 + i}`, `${c},eid.collected,2023-06-02,${200 + i}`]);

describe('CSV import as the system (npm run import:progress)', () => {
  it('streams chunks; an interrupted run keeps earlier chunks, and a re-run completes without duplicating', async () => {
    const ctx = () => systemContext(t.app.orm, t.app.config, t.app.log, 'test-import');
    const broken = [...LINES.slice(0, 6), 'A1b-1,eid.collected,2023-06-01,abc', ...LINES.slice(6)];
    const seen: string[] = [];
    await expect(importProgressCsv(ctx(), csv(broken), (r) => seen.push(`${r.firstLine}-${r.lastLine}:${r.changed}`), 4)).rejects.toThrow(/Line 8/);
    expect(seen).toEqual(['2-5:4']);
    const chunks: string[] = [];
    const totals = await importProgressCsv(ctx(), csv(LINES), (r) => chunks.push(`${r.firstLine}-${r.lastLine}:${r.changed}/${r.unchanged}`), 4);
    expect(chunks).toEqual(['2-5:0/4', '6-9:4/0', '10-13:4/0']);
    expect(totals).toEqual({ changed: 8, unchanged: 4 });
    const [total] = await t.sql<{ value: string; reporters: number }>(`select t.value::text, t.reporters from rollup_total t join admin_unit u on u.id = t.unit_id where u.code = 'A'`);
    expect([Number(total.value), total.reporters]).toEqual([200 + 201 + 202 + 203 + 204 + 205, 6]);
    const [audit] = await t.sql<{ n: number; p: number }>(`select count(*)::int as n, count(principal_id)::int as p from audit_entry where action = 'progress.import'`);
    expect(audit).toEqual({ n: 3, p: 0 });
  });

  it('reports rejected rows by file line', async () => {
    const ctx = systemContext(t.app.orm, t.app.config, t.app.log, 'test-import');
    const err = await importProgressCsv(ctx, csv(['A1a-1,eid.collected,2023-06-03,300', 'ZZZ,eid.collected,2023-06-03,1']), () => {}, 10).catch((e) => e);
    expect(err.problems.map((p: { row: number }) => p.row)).toEqual([3]);
    expect(err.problems[0].message).toMatch(/^Line 3:/);
  });
});
