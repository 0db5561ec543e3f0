import { startTestApp, type TestApp } from '../support/app';
import { gql, ok } from '../support/client';
import { principalWith, type TestPrincipal } from '../support/principals';
import { addDays } from '../../src/common/dates';
import { todayInVietnam } from '../../src/common/scalars';
import { gridTree, progressTables, REPORT, unitId } from './support';

/*
 * The API keeps the units reports are written for (src/progress/reporting-units.ts) and the write checks the unit's
 * stamp. These prove that a kept unit never outlives a change to it: after a move or a retirement the next report
 * is judged on the unit as it stands, by the same rules as a unit read for the first time.
 */

const MOVE = `mutation($id: ID!, $p: ID!) { moveUnit(input: { id: $id, newParentId: $p }) { movedUnits } }`;
const RETIRE = `mutation($id: ID!) { retireUnit(input: { id: $id }) { retiredUnits } }`;

let t: TestApp;
let admin: TestPrincipal;
let officerA: TestPrincipal;
let officerB: TestPrincipal;
beforeAll(async () => {
  t = await startTestApp();
  await gridTree(t, ['A', 'B'], 2, 2, 3);
  admin = await principalWith(t, [{ role: 'SYSTEM_ADMIN', unit: 'A' }]);
  officerA = await principalWith(t, [{ role: 'OFFICER', unit: 'A' }]);
  officerB = await principalWith(t, [{ role: 'OFFICER', unit: 'B' }]);
});
afterAll(() => t?.close());

const report = (p: TestPrincipal, unit: string, asOf: string, value: number) =>
  gql(t, REPORT, { input: { unitId: unit, asOf, values: [{ metric: 'eid.collected', value }] } }, p.token);

describe('units kept by the reporting path', () => {
  it('a unit moved out of a jurisdiction after a report: the next report there is refused and writes nothing; the new jurisdiction reports', async () => {
    const hamlet = await unitId(t, 'A1a-1', admin.token);
    expect(ok(await report(officerA, hamlet, '2023-06-01', 10)).reportProgress.changed).toBe(1);
    // Kept by officer A's report, still outside officer B's jurisdiction.
    expect((await report(officerB, hamlet, '2023-06-02', 12)).errors?.[0].extensions?.code).toBe('NOT_FOUND');

    ok(await gql(t, MOVE, { id: await unitId(t, 'A1a', admin.token), p: await unitId(t, 'B2', admin.token) }, admin.token));

    const before = await progressTables(t);
    const refused = await report(officerA, hamlet, '2023-06-02', 12);
    expect(refused.errors?.[0].extensions?.code).toBe('NOT_FOUND');
    expect(refused.data?.reportProgress ?? null).toBeNull();
    expect(await progressTables(t)).toBe(before);

    expect(ok(await report(officerB, hamlet, '2023-06-02', 12)).reportProgress.changed).toBe(1);
    const [row] = await t.sql<{ path: string }>(
      `select u.path::text as path from progress_report r join admin_unit u on u.id = r.unit_id where u.code = 'A1a-1' and r.as_of = '2023-06-02'`,
    );
    expect(row.path.split('.')).toHaveLength(4);
  });

  it('a unit retired after a report: a report after its last day is refused as for a unit read afresh', async () => {
    const hamlet = await unitId(t, 'A2a-1', admin.token);
    expect(ok(await report(officerA, hamlet, '2023-06-01', 10)).reportProgress.changed).toBe(1);

    ok(await gql(t, RETIRE, { id: hamlet }, admin.token));

    const before = await progressTables(t);
    const refused = await report(officerA, hamlet, todayInVietnam(), 20);
    expect(refused.errors?.[0].extensions?.code).toBe('BAD_USER_INPUT');
    expect(refused.errors?.[0].message).toMatch(/nothing was written/);
    expect(await progressTables(t)).toBe(before);
    // Within its life it still takes reports.
    expect(ok(await report(officerA, hamlet, addDays(todayInVietnam(), -1), 20)).reportProgress.changed).toBe(1);
  });

  it('a unit kept for one principal is not lent to another outside its jurisdiction, nor to one whose grant was withdrawn', async () => {
    const hamlet = await unitId(t, 'A2b-1', admin.token);
    expect(ok(await report(officerA, hamlet, '2023-06-01', 10)).reportProgress.changed).toBe(1);
    const viewer = await principalWith(t, [{ role: 'VIEWER', unit: 'A' }]);
    const before = await progressTables(t);
    expect((await report(officerB, hamlet, '2023-06-02', 11)).errors?.[0].extensions?.code).toBe('NOT_FOUND');
    expect((await report(viewer, hamlet, '2023-06-02', 11)).errors?.[0].extensions?.code).toBe('FORBIDDEN');

    await t.sql(`delete from "grant" where principal_id = $1`, [officerA.id]);
    expect((await report(officerA, hamlet, '2023-06-02', 11)).errors?.[0].extensions?.code).toMatch(/NOT_FOUND|FORBIDDEN|UNAUTHENTICATED/);
    expect(await progressTables(t)).toBe(before);
  });
});
