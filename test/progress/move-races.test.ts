import { startTestApp, type TestApp } from '../support/app';
import { codeOf, gql, ok } from '../support/client';
import { principalWith, type TestPrincipal } from '../support/principals';
import { holdLocks } from '../support/locks';
import { todayInVietnam } from '../../src/common/scalars';
import { gridTree, IMPORT, REPORT, rollupMismatches, unitId } from './support';

/*
 * Moving units while other moves and report writers run: every figure stays equal to a recomputation from the
 * raw reports, and each move reports and audits what it really did.
 */
let t: TestApp;
let ids: Record<string, number>;
let sa: TestPrincipal;
const gid: Record<string, string> = {};
const DAYS = ['2023-05-31', '2023-06-01', '2023-06-05', '2023-06-10', '2023-06-20', todayInVietnam()];
const MOVE = `mutation($id: ID!, $p: ID!) { moveUnit(input: { id: $id, newParentId: $p }) { movedUnits unit { code ancestors { code } } } }`;

beforeAll(async () => {
  t = await startTestApp({ DB_POOL_MAX: '30' });
  ids = await gridTree(t, ['A', 'B'], 2, 2, 3);
  sa = await principalWith(t, [{ role: 'SYSTEM_ADMIN', unit: 'A' }]);
  for (const code of Object.keys(ids)) gid[code] = await unitId(t, code, sa.token);
  const rows = Object.keys(ids)
    .filter((c) => c.includes('-'))
    .flatMap((code, i) => [
      { unitCode: code, metric: 'eid.collected', asOf: '2023-06-01', value: 10 + i },
      { unitCode: code, metric: 'eid.collected', asOf: '2023-06-10', value: 20 + i },
      { unitCode: code, metric: 'cccd.collected', asOf: '2023-06-05', value: 5 + i },
    ]);
  ok(await gql(t, IMPORT, { input: { rows } }, sa.token));
});
afterAll(() => t?.close());

const mismatches = () => rollupMismatches(t, DAYS);

const moveAudits = async (code: string) =>
  t.sql<{ before: { parentId: number }; after: { parentId: number; movedUnits: number } }>(
    `select before, after from audit_entry where action = 'unit.move' and object_id = $1::text order by id`,
    [String(ids[code])],
  );

describe('two moves of the same unit at once', () => {
  it('run one after the other: both move the whole subtree, both are audited as they happened, rollups stay exact', async () => {
    const held = await holdLocks(t, [[`select 1 from admin_unit where code = 'A1a' for update`]]);
    const moves = [gql(t, MOVE, { id: gid.A1a, p: gid.A2 }, sa.token), gql(t, MOVE, { id: gid.A1a, p: gid.B1 }, sa.token)];
    await held.waiters(2);
    await held.release();
    const results = (await Promise.all(moves)).map((r) => ok(r).moveUnit);
    expect(results.map((r) => r.movedUnits)).toEqual([4, 4]);
    const audits = await moveAudits('A1a');
    expect(audits).toHaveLength(2);
    expect(audits[1].before.parentId).toBe(audits[0].after.parentId);
    expect(audits.map((a) => a.after.movedUnits)).toEqual([4, 4]);
    const [{ parent }] = await t.sql<{ parent: number }>(`select parent_id as parent from admin_unit where code = 'A1a'`);
    expect(parent).toBe(audits[1].after.parentId);
    expect(await mismatches()).toEqual([]);
  });

  it('to the same parent: the second changes nothing, says so (movedUnits 0) and audits nothing', async () => {
    const held = await holdLocks(t, [[`select 1 from admin_unit where code = 'A1b' for update`]]);
    const moves = [gql(t, MOVE, { id: gid.A1b, p: gid.B2 }, sa.token), gql(t, MOVE, { id: gid.A1b, p: gid.B2 }, sa.token)];
    await held.waiters(2);
    await held.release();
    const results = (await Promise.all(moves)).map((r) => ok(r).moveUnit);
    expect(results.map((r) => r.movedUnits).sort()).toEqual([0, 4]);
    expect(results.every((r) => r.unit.ancestors.map((a: { code: string }) => a.code).join('/') === 'B/B2')).toBe(true);
    expect(await moveAudits('A1b')).toHaveLength(1);
    expect(await mismatches()).toEqual([]);
  });
});

/**
 * As the API guide tells clients: a SERVICE_UNAVAILABLE answer (a lock wait past the bound on a loaded machine) is
 * retried after a pause. Reports and moves to a parent are idempotent, so a retry never counts twice.
 */
async function send(query: string, variables: Record<string, unknown>, token: string) {
  for (let attempt = 1; ; attempt++) {
    const res = await gql(t, query, variables, token);
    if (codeOf(res) !== 'SERVICE_UNAVAILABLE' || attempt === 8) return res;
    await new Promise((r) => setTimeout(r, 250 * attempt));
  }
}

describe('oracle: units move while reports are written', () => {
  it('leaves every rollup equal to a recomputation from the raw reports (0 mismatches)', async () => {
    const communes = Object.keys(ids).filter((c) => /^[AB]\d[a-z]$/.test(c));
    const districts = Object.keys(ids).filter((c) => /^[AB]\d$/.test(c));
    const hamlets = Object.keys(ids).filter((c) => c.includes('-'));
    const writers: TestPrincipal[] = [];
    for (let i = 0; i < 4; i++) writers.push(await principalWith(t, [{ role: 'SYSTEM_ADMIN', unit: 'A' }], `writer${i}`));
    let seed = 7;
    const rand = () => ((seed = (seed * 1103515245 + 12345) % 2 ** 31) / 2 ** 31);
    // Each writer owns some hamlets and writes values that grow with the day, in a shuffled order of days.
    const write = async (w: number) => {
      const mine = hamlets.filter((_, i) => i % writers.length === w);
      const days = Array.from({ length: 10 }, (_, k) => 2 + k * 2).sort(() => rand() - 0.5);
      for (const day of days) {
        for (const h of mine) {
          const asOf = `2023-06-${String(day).padStart(2, '0')}`;
          // The reason: these values overtake the ones the fixture reported on 06-01 and 06-10.
          const values = [{ metric: 'eid.collected', value: 100 * day + hamlets.indexOf(h) }];
          ok(await send(REPORT, { input: { unitId: gid[h], asOf, values, correctionReason: 'đối chiếu lại' } }, writers[w].token));
        }
      }
    };
    // Movers pick from a few communes and districts, so moves of the same unit overlap.
    const move = async (m: number) => {
      for (let i = 0; i < 8; i++) {
        const districtMove = (i + m) % 4 === 0;
        const unit = districtMove ? districts[(i + m) % districts.length] : communes[(i * 3 + m) % 3];
        const target = districtMove ? ['A', 'B'][(i + m) % 2] : districts[(i + 2 * m) % districts.length];
        ok(await send(MOVE, { id: gid[unit], p: gid[target] }, sa.token));
      }
    };
    await Promise.all([...writers.map((_, w) => write(w)), ...[0, 1, 2].map(move)]);
    const [{ n }] = await t.sql<{ n: number }>(`select count(*)::int as n from audit_entry where action = 'unit.move'`);
    expect(n).toBeGreaterThan(5);
    expect(await mismatches()).toEqual([]);
  });
});
