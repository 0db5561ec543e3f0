import { subject as asSubject } from '@casl/ability';
import { startTestApp, type TestApp } from '../support/app';
import { smallTree } from '../support/factories';
import { defineAbility, type GrantScope } from '../../src/auth/ability';
import { abilityToSql } from '../../src/auth/ability-to-sql';
import { PERMISSIONS, type Action, type Subject } from '../../src/auth/permissions';
import { Role } from '../../src/auth/roles';

/*
 * The same rules judge single objects in memory (CASL, path-operators.ts) and filter every read in SQL
 * (ability-to-sql.ts). For every subject and action, and principals of every role at every level, both must pick
 * exactly the same objects out of one universe of candidates — covering every operator the rules use:
 * $under, $below, $over, $in, $allUnder and plain equality.
 */
let t: TestApp;
let paths: Record<string, string>;

interface Candidate {
  n: number;
  path: string;
  id: number;
  teamId: number;
  role: string;
  homePath: string | null;
  grantPaths: (string | null)[];
}

const COLUMNS = { path: 'o.path', id: 'o.id', teamId: 'o.team_id', role: 'o.role', homePath: 'o.home_path', grantPaths: 'o.grant_paths' };

beforeAll(async () => {
  t = await startTestApp();
  await smallTree(t);
  paths = Object.fromEntries((await t.sql<{ code: string; path: string }>('select code, path::text as path from admin_unit')).map((r) => [r.code, r.path]));
});
afterAll(() => t?.close());

/** Every unit path and the national one, crossed with the other fields the rules read. */
function universe(): Candidate[] {
  const unitPaths = ['', ...Object.values(paths)];
  const lists: (string | null)[][] = [[], [paths.C1], [paths.D1, paths.H1], [paths.D1, paths.C3], [null], [paths.C1, null], [paths.P1]];
  const out: Candidate[] = [];
  for (const path of unitPaths)
    for (const role of Object.values(Role))
      for (const id of [1, 2])
        out.push({ n: out.length, path, id, teamId: id, role, homePath: path === '' ? null : path, grantPaths: lists[out.length % lists.length] });
  return out;
}

function abilities(): Record<string, GrantScope[]> {
  const at = (role: Role, code: string | null): GrantScope => ({ role, unitPath: code === null ? null : paths[code] });
  const sets: Record<string, GrantScope[]> = {
    SYSTEM_ADMIN: [at(Role.SYSTEM_ADMIN, null)],
    'national VIEWER': [at(Role.VIEWER, null)],
    'TEAM_LEADER of team 1 over H1, H2': [{ role: Role.TEAM_LEADER, unitPath: paths.C1, teamId: 1, hamletPaths: [paths.H1, paths.H2] }],
    'TEAM_LEADER without assignments': [{ role: Role.TEAM_LEADER, unitPath: paths.C1, teamId: 2, hamletPaths: [] }],
    'ADMIN@D1 + VIEWER@P2': [at(Role.ADMIN, 'D1'), at(Role.VIEWER, 'P2')],
    'ADMIN@D1 + ADMIN@D3': [at(Role.ADMIN, 'D1'), at(Role.ADMIN, 'D3')],
  };
  for (const role of [Role.ADMIN, Role.OFFICER, Role.VIEWER]) for (const code of ['P1', 'D1', 'C1', 'H1']) sets[`${role}@${code}`] = [at(role, code)];
  return sets;
}

/** The operators of the rules for (action, subject), read from the rules themselves. */
function operatorsOf(conditions: unknown, into: Set<string>): void {
  if (!conditions || typeof conditions !== 'object' || Array.isArray(conditions)) return;
  for (const [k, v] of Object.entries(conditions)) {
    if (k.startsWith('$')) into.add(k);
    else if (v === null || typeof v !== 'object' || Array.isArray(v)) into.add('$eq');
    operatorsOf(v, into);
  }
}

it('in-memory CASL and SQL select the same objects, for every subject, action, role and operator', async () => {
  const candidates = universe();
  const json = JSON.stringify(candidates.map((c) => ({ n: c.n, path: c.path, id: c.id, team_id: c.teamId, role: c.role, home_path: c.homePath, grant_paths: c.grantPaths })));
  const seen: Record<string, Set<string>> = {};
  const disagreements: string[] = [];
  let compared = 0;
  for (const [name, grants] of Object.entries(abilities())) {
    const ability = defineAbility(grants);
    for (const subjectType of Object.keys(PERMISSIONS) as Subject[]) {
      for (const action of PERMISSIONS[subjectType] as readonly Action[]) {
        for (const rule of ability.rulesFor(action, subjectType)) operatorsOf(rule.conditions, (seen[subjectType] ??= new Set()));
        const cond = abilityToSql(ability, action, subjectType, COLUMNS);
        let i = 1;
        const sql = cond.sql.replace(/\?/g, () => `$${++i}`);
        const viaSql = (
          await t.sql<{ n: number }>(
            `select o.n from jsonb_to_recordset($1::jsonb) as o(n int, path ltree, id int, team_id int, role text, home_path ltree, grant_paths ltree[])
              where ${sql} order by o.n`,
            [json, ...cond.bindings],
          )
        ).map((r) => r.n);
        const inMemory = candidates.filter((c) => ability.can(action, asSubject(subjectType, { ...c } as Record<string, unknown>))).map((c) => c.n);
        compared++;
        if (JSON.stringify(viaSql) !== JSON.stringify(inMemory)) {
          const diff = [...viaSql.filter((n) => !inMemory.includes(n)).map((n) => `+sql ${JSON.stringify(candidates[n])}`), ...inMemory.filter((n) => !viaSql.includes(n)).map((n) => `+memory ${JSON.stringify(candidates[n])}`)];
          disagreements.push(`${name} ${action}:${subjectType}: ${diff.slice(0, 3).join('; ')}`);
        }
      }
    }
  }
  expect(disagreements).toEqual([]);
  expect(compared).toBeGreaterThan(400);
  // Every operator the rules use was exercised, on every subject whose rules use it.
  const all = new Set(Object.values(seen).flatMap((s) => [...s]));
  expect([...all].sort()).toEqual(['$allUnder', '$below', '$eq', '$in', '$over', '$under']);
  expect(Object.fromEntries(Object.entries(seen).map(([s, ops]) => [s, [...ops].sort()]))).toMatchObject({
    Unit: ['$below', '$in', '$under'],
    Campaign: ['$in', '$over', '$under'],
    Principal: ['$allUnder', '$under'],
    Grant: ['$below', '$eq', '$in', '$under'],
    Team: ['$eq', '$under'],
    TeamMember: ['$eq', '$under'],
    Progress: ['$in', '$under'],
    Quota: ['$below', '$under'],
    AuditEntry: ['$under'],
  });
});
