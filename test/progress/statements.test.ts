import { startTestApp, type TestApp } from '../support/app';
import { gql, ok } from '../support/client';
import { principalWith } from '../support/principals';
import { gridTree, unitId } from './support';

let t: TestApp;
beforeAll(async () => {
  t = await startTestApp();
  await gridTree(t, ['BIG'], 4, 4, 2); // 1 + 4 districts + 16 communes (+ 32 hamlets)
  await gridTree(t, ['SML'], 2, 4, 2); // 1 + 2 districts + 8 communes
});
afterAll(() => t?.close());

const QUERY = `query($id: ID!) { unit(id: $id) {
  ...F children(first: 100) { nodes { ...F children(first: 100) { nodes { ...F } } } } } }
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
