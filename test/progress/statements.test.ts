import { Client } from 'pg';
import { startTestApp, type TestApp } from '../support/app';
import { gql, ok } from '../support/client';
import { principalWith } from '../support/principals';
import { gridTree, REPORT, unitId } from './support';

let t: TestApp;
beforeAll(async () => {
  t = await startTestApp();
  await gridTree(t, ['BIG'], 4, 4, 2); // 1 + 4 districts + 16 communes (+ 32 hamlets)
  await gridTree(t, ['SML'], 2, 4, 2); // 1 + 2 districts + 8 communes
});
afterAll(() => t?.close());

// Pages of 20 hold every child here (at most 4 per level) and keep the query under the default cost limit.
const QUERY = `query($id: ID!) { unit(id: $id) {
  ...F children(first: 20) { nodes { ...F children(first: 20) { nodes { ...F } } } } } }
  fragment F on Unit { code
    c: progress(metric: "eid.collected") { value reportingUnits reportedUnits lastReportAt }
    a: progress(metric: "eid.activated", asOf: "2023-06-30") { value reportedUnits }
    r: progress(metric: "reason.no_smartphone", asOf: "2023-06-30") { value }
    s: series(metric: "eid.collected", from: "2023-06-01", to: "2023-06-30") { value }
    reasons(asOf: "2023-06-30") { value } }`;

describe('bounded statements', () => {
  it('reading three metrics over a province, its districts and communes costs the same for twice the units', async () => {
    const admin = await principalWith(t, [{ role: 'SYSTEM_ADMIN', unit: 'BIG' }]);
    const counts: number[] = [];

    for (const code of ['BIG', 'SML']) {
      const id = await unitId(t, code, admin.token);
      const r = await gql(t, QUERY, { id }, admin.token);
      ok(r);
      const units = 1 + r.data.unit.children.nodes.length + r.data.unit.children.nodes.reduce((n: number, d: any) => n + d.children.nodes.length, 0);
      expect(units).toBe(code === 'BIG' ? 21 : 11);
      counts.push(r.extensions!.sqlStatements!);
    }
    expect(counts[0]).toBe(counts[1]);
    expect(counts[0]).toBeLessThanOrEqual(17);
    console.log(`sqlStatements: ${counts.join(' / ')} (21 / 11 units)`);
  });
});

describe('reportProgress round trip', () => {
  it('costs 3 statements (4 for a unit this process has not read yet, at most 5); an identical repeat 2, and it takes no lock', async () => {
    const officer = await principalWith(t, [{ role: 'OFFICER', unit: 'SML' }]);
    const unit = await unitId(t, 'SML1a-1', officer.token);
    const input = { unitId: unit, asOf: '2023-06-01', values: [{ metric: 'eid.collected', value: 100 }, { metric: 'eid.activated', value: 40 }] };
    const first = await gql(t, REPORT, { input }, officer.token);
    expect(ok(first).reportProgress.changed).toBe(2);
    expect(first.extensions!.sqlStatements).toBeLessThanOrEqual(5); // + the metric catalogue, read once per process
    const next = await gql(t, REPORT, { input: { ...input, asOf: '2023-06-02', values: [{ metric: 'eid.collected', value: 120 }] } }, officer.token);
    expect(ok(next).reportProgress.changed).toBe(1);
    // authentication, the write (the unit as kept by the first report, checked by its stamp), then the data version
    // with the live notices (no second advance)
    expect(next.extensions!.sqlStatements).toBe(3);
    // Another unit, never read by this process: the unit's statement comes back once.
    const other = await unitId(t, 'SML1a-2', officer.token);
    const fresh = await gql(t, REPORT, { input: { ...input, unitId: other } }, officer.token);
    expect(ok(fresh).reportProgress.changed).toBe(2);
    expect(fresh.extensions!.sqlStatements).toBe(4);

    // Another session holds the unit's row and its province's rollup rows: a write waits for them, a repeat does not.
    const holder = new Client({ connectionString: t.dbUrl });
    await holder.connect();
    try {
      await holder.query('begin');
      await holder.query(`select 1 from admin_unit where code = 'SML1a-1' for update`);
      await holder.query(`select 1 from rollup_total t join admin_unit u on u.id = t.unit_id where u.code = 'SML' for update`);
      const repeat = await gql(t, REPORT, { input }, officer.token);
      expect(ok(repeat).reportProgress).toMatchObject({ changed: 0, reports: [{ value: 40 }, { value: 100 }] });
      expect(repeat.extensions!.sqlStatements).toBe(2);
      let settled = false;
      const write = gql(t, REPORT, { input: { ...input, asOf: '2023-06-03', values: [{ metric: 'eid.collected', value: 130 }] } }, officer.token).finally(() => (settled = true));
      await new Promise((r) => setTimeout(r, 300));
      expect(settled).toBe(false);
      await holder.query('rollback');
      expect(ok(await write).reportProgress.changed).toBe(1);
    } finally {
      await holder.end();
    }
  });
});
