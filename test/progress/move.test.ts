import { startTestApp, type TestApp } from '../support/app';
import { gql, ok } from '../support/client';
import { principalWith } from '../support/principals';
import { todayInVietnam } from '../../src/common/scalars';
import { gridTree, IMPORT, recomputed, unitId } from './support';

const MOVE = `mutation($id: ID!, $p: ID!) { moveUnit(input: { id: $id, newParentId: $p }) { movedUnits unit { ancestors { code } } } }`;

let t: TestApp;
let ids: Record<string, number>;
beforeAll(async () => {
  t = await startTestApp();
  ids = await gridTree(t, ['A', 'B'], 2, 2, 3);
});
afterAll(() => t?.close());

describe('moveUnit and the rollups', () => {
  it('moves a commune\'s contributions from its old ancestors to the new ones, exactly', async () => {
    const admin = await principalWith(t, [{ role: 'SYSTEM_ADMIN', unit: 'A' }]);
    const rows = Object.keys(ids)
      .filter((c) => c.includes('-'))
      .flatMap((code, i) => [
        { unitCode: code, metric: 'eid.collected', asOf: '2023-06-01', value: 10 + i },
        { unitCode: code, metric: 'eid.collected', asOf: '2023-06-10', value: 20 + i },
      ]);
    ok(await gql(t, IMPORT, { input: { rows } }, admin.token));
    // Through the mutation itself, so the test exercises the service's SQL rather than a copy of it.
    const moved = ok(await gql(t, MOVE, { id: await unitId(t, 'A1a', admin.token), p: await unitId(t, 'B2', admin.token) }, admin.token)).moveUnit;
    expect(moved).toEqual({ movedUnits: 4, unit: { ancestors: [{ code: 'B' }, { code: 'B2' }] } });
    const days = ['2023-05-31', '2023-06-01', '2023-06-05', '2023-06-10', todayInVietnam()];
    const truth = await recomputed(t, days);
    const sums = await t.sql<{ unit_id: number; metric: string; day: string; value: string; reporters: string }>(
      `select c.unit_id, c.metric, to_char(d.day, 'YYYY-MM-DD') as day, sum(c.change)::text as value, sum(c.reporters)::text as reporters
         from rollup_change c join unnest($1::date[]) as d(day) on c.date <= d.day group by 1, 2, 3`,
      [days],
    );
    expect(sums.length).toBeGreaterThan(0);
    for (const r of sums) {
      const e = truth.get(`${r.unit_id}|${r.metric}|${r.day}`)!;
      expect([r.unit_id, r.day, Number(r.value), Number(r.reporters)]).toEqual([r.unit_id, r.day, e.value, e.reported]);
    }
    const totals = await t.sql<{ unit_id: number; metric: string; value: string; reporters: number }>('select * from rollup_total');
    for (const r of totals) {
      const e = truth.get(`${r.unit_id}|${r.metric}|${todayInVietnam()}`)!;
      expect([r.unit_id, Number(r.value), r.reporters]).toEqual([r.unit_id, e.value, e.reported]);
    }
    const b = totals.find((r) => r.unit_id === ids.B)!;
    expect(b.reporters).toBe(15);
  });
});
