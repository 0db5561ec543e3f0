import { subject } from '@casl/ability';
import { startTestApp, type TestApp } from '../support/app';
import { smallTree } from '../support/factories';
import { userWith } from '../support/accounts';
import { defineAbility, type GrantScope } from '../../src/auth/ability';
import { abilityToSql } from '../../src/auth/ability-to-sql';
import { principalColumns } from '../../src/principals/principal.repo';
import { Role } from '../../src/auth/roles';

let t: TestApp;
let paths: Record<string, string>;

beforeAll(async () => {
  t = await startTestApp();
  await smallTree(t);
  paths = Object.fromEntries((await t.sql<{ code: string; path: string }>('select code, path::text as path from admin_unit')).map((r) => [r.code, r.path]));
  const cases: [string | undefined, [string, string][]][] = [
    [undefined, []],
    ['P1', []],
    ['D1', [['VIEWER', 'D1']]],
    ['D1', [['VIEWER', 'D1'], ['OFFICER', 'C1']]],
    ['D1', [['VIEWER', 'D1'], ['VIEWER', 'D3']]],
    ['C1', [['ADMIN', 'C1']]],
    ['D2', [['OFFICER', 'D2']]],
    ['P2', [['VIEWER', 'C3']]],
    ['P1', [['SYSTEM_ADMIN', '*']]],
    ['H1', [['OFFICER', 'H1'], ['VIEWER', 'P1']]],
  ];
  for (const [home, grants] of cases) await userWith(t, { home, grants: grants.map(([role, unit]) => ({ role: role as any, unit })) });
});
afterAll(() => t?.close());

/** The same rules evaluated by CASL in memory and as SQL select the same principals. */
describe('Principal rules: in-memory matcher and SQL agree', () => {
  const abilities: Record<string, () => GrantScope[]> = {
    'ADMIN@P1': () => [{ role: Role.ADMIN, unitPath: paths.P1 }],
    'ADMIN@D1': () => [{ role: Role.ADMIN, unitPath: paths.D1 }],
    'ADMIN@D1 + ADMIN@D3': () => [{ role: Role.ADMIN, unitPath: paths.D1 }, { role: Role.ADMIN, unitPath: paths.D3 }],
    'ADMIN@C1': () => [{ role: Role.ADMIN, unitPath: paths.C1 }],
    SYSTEM_ADMIN: () => [{ role: Role.SYSTEM_ADMIN, unitPath: null }],
    'VIEWER@P1': () => [{ role: Role.VIEWER, unitPath: paths.P1 }],
  };

  it.each(Object.keys(abilities))('%s', async (name) => {
    const ability = defineAbility(abilities[name]());
    const cond = abilityToSql(ability, 'update', 'Principal', principalColumns);
    let n = 0;
    const sql = cond.sql.replace(/\?/g, () => `$${++n}`);
    const viaSql = (await t.sql<{ id: number }>(`select p.id from principal p left join admin_unit hu on hu.id = p.home_unit_id where ${sql} order by p.id`, cond.bindings)).map((r) => r.id);
    const rows = await t.sql<{ id: number; homePath: string | null; grantPaths: (string | null)[] }>(
      `select p.id, hu.path::text as "homePath", array(select gu.path::text from "grant" g left join admin_unit gu on gu.id = g.unit_id where g.principal_id = p.id) as "grantPaths"
         from principal p left join admin_unit hu on hu.id = p.home_unit_id order by p.id`,
    );
    const inMemory = rows.filter((r) => ability.can('update', subject('Principal', { homePath: r.homePath, grantPaths: r.grantPaths } as Record<string, unknown>))).map((r) => r.id);
    expect(viaSql).toEqual(inMemory);
    if (name === 'VIEWER@P1') expect(inMemory).toEqual([]);
    if (name === 'SYSTEM_ADMIN') expect(inMemory).toHaveLength(rows.length);
    if (name === 'ADMIN@P1') expect(inMemory.length).toBeGreaterThan(2);
  });

  it('$allUnder: empty lists qualify, national (null) entries never do', () => {
    const ability = defineAbility([{ role: Role.ADMIN, unitPath: '1' }]);
    const can = (grantPaths: (string | null)[]) => ability.can('read', subject('Principal', { homePath: '1.2', grantPaths } as Record<string, unknown>));
    expect(can([])).toBe(true);
    expect(can(['1', '1.2.3'])).toBe(true);
    expect(can(['1.2', '10'])).toBe(false);
    expect(can(['1.2', null])).toBe(false);
  });
});
