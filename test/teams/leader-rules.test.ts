import { subject } from '@casl/ability';
import { startTestApp, type TestApp } from '../support/app';
import { codeOf, gql } from '../support/client';
import { principalWith } from '../support/principals';
import { defineAbility, type GrantScope } from '../../src/auth/ability';
import { abilityToSql } from '../../src/auth/ability-to-sql';
import { Role } from '../../src/auth/roles';
import { gid, teamTree } from './support';

let t: TestApp;
let ids: Record<string, number>;
let paths: Record<string, string>;
let teamId: number;

beforeAll(async () => {
  t = await startTestApp();
  ids = await teamTree(t);
  paths = Object.fromEntries((await t.sql<{ code: string; path: string }>('select code, path::text as path from admin_unit')).map((r) => [r.code, r.path]));
  [{ id: teamId }] = await t.sql<{ id: number }>(`insert into team (unit_id, name, kind, created_at, updated_at) values ($1, 'Tổ 1', 'POLICE', now(), now()) returning id`, [ids.TC]);
});
afterAll(() => t?.close());

/** The TEAM_LEADER rules ($in over assigned hamlet paths, id / teamId equality) select the same rows in memory and in SQL. */
describe('TEAM_LEADER rules: in-memory matcher and SQL agree', () => {
  const cases: Record<string, () => GrantScope[]> = {
    'two hamlets': () => [{ role: Role.TEAM_LEADER, unitPath: paths.TC, teamId, hamletPaths: [paths['TC-1'], paths['TC-4']] }],
    'no assignment yet': () => [{ role: Role.TEAM_LEADER, unitPath: paths.TC, teamId, hamletPaths: [] }],
    'leader + viewer elsewhere': () => [
      { role: Role.TEAM_LEADER, unitPath: paths.TC, teamId, hamletPaths: [paths['TC-2']] },
      { role: Role.VIEWER, unitPath: paths.OC },
    ],
  };

  it.each(Object.keys(cases))('%s', async (name) => {
    const ability = defineAbility(cases[name]());
    for (const [action, subj] of [['read', 'Unit'], ['report', 'Progress']] as const) {
      const cond = abilityToSql(ability, action, subj, { path: 'u.path' });
      let n = 0;
      const viaSql = (await t.sql<{ code: string }>(`select u.code from admin_unit u where ${cond.sql.replace(/\?/g, () => `$${++n}`)} order by u.code`, cond.bindings)).map((r) => r.code);
      const inMemory = Object.keys(paths).sort().filter((code) => ability.can(action, subject(subj, { path: paths[code] } as Record<string, unknown>)));
      expect(viaSql).toEqual(inMemory);
      if (name === 'two hamlets') expect(inMemory).toEqual(['TC-1', 'TC-4']);
      if (name === 'no assignment yet') expect(inMemory).toEqual([]);
    }
    const teamCond = abilityToSql(ability, 'read', 'Team', { path: 'tu.path', id: 't.id' });
    let n = 0;
    const teams = await t.sql<{ id: number }>(`select t.id from team t join admin_unit tu on tu.id = t.unit_id where ${teamCond.sql.replace(/\?/g, () => `$${++n}`)}`, teamCond.bindings);
    expect(teams.map((r) => r.id)).toEqual([teamId]);
    expect(ability.can('readContact', subject('TeamMember', { path: paths.TC, teamId } as Record<string, unknown>))).toBe(true);
    expect(ability.can('readContact', subject('TeamMember', { path: paths.TC, teamId: teamId + 1 } as Record<string, unknown>))).toBe(false);
  });
});

describe('grantRole checks the team of a TEAM_LEADER grant', () => {
  it('an unknown or foreign team is BAD_USER_INPUT at input.teamId, nothing written; the team of the unit works', async () => {
    const admin = (await principalWith(t, [{ role: 'ADMIN', unit: 'TD' }])).token;
    const [{ id: target }] = await t.sql<{ id: number }>(`insert into principal (kind, username, display_name, status, home_unit_id, created_at, updated_at) values ('USER', 'leader1', 'Leader', 'ACTIVE', $1, now(), now()) returning id`, [ids.TC]);
    const GRANT = `mutation($i: GrantRoleInput!) { grantRole(input: $i) { grant { role teamId } } }`;
    const input = (team: number, unit: string) => ({ principalId: gid('Principal', target), role: 'TEAM_LEADER', unitId: gid('Unit', ids[unit]), teamId: gid('Team', team) });
    for (const [team, unit] of [[999_999, 'TC'], [teamId, 'TC2']] as const) {
      const res = await gql(t, GRANT, { i: input(team, unit) }, admin);
      expect(codeOf(res)).toBe('BAD_USER_INPUT');
      expect(res.errors![0].extensions.fieldPaths).toEqual(['input.teamId']);
    }
    expect(await t.sql(`select * from "grant" where principal_id = $1`, [target])).toEqual([]);
    const res = await gql(t, GRANT, { i: input(teamId, 'TC') }, admin);
    expect(res.errors).toBeUndefined();
    expect(res.data.grantRole.grant).toEqual({ role: 'TEAM_LEADER', teamId: gid('Team', teamId) });
    // a global id of another type names no team
    const wrongType = await gql(t, GRANT, { i: { ...input(teamId, 'TC'), teamId: gid('Unit', teamId) } }, admin);
    expect(wrongType.errors![0].extensions.fieldPaths).toEqual(['input.teamId']);
  });
});
