import { startTestApp, type TestApp } from '../support/app';
import { codeOf, gql, ok } from '../support/client';
import { holdLocks } from '../support/locks';
import { principalWith } from '../support/principals';
import { addMember, ASSIGN, assignInput, createTeam, CREATE_TEAM, gid, insertCampaign, teamTables, teamTree } from './support';

/*
 * Writes that check a unit before their transaction (jurisdiction, level, retired) and then write against it:
 * a restructuring committing in between must not slip past the check. Each write locks the units it checked
 * (FOR SHARE) inside its transaction and refuses with CONFLICT when one moved or retired meanwhile. The
 * restructuring is played by a transaction holding the unit's row, committed once the write waits for it
 * (without the lock, the write never waits: holdLocks' waiters() fails).
 */
let t: TestApp;
let ids: Record<string, number>;
let officer: string;
let admin: string;
let campaign: number;

beforeAll(async () => {
  t = await startTestApp();
  ids = await teamTree(t);
  officer = (await principalWith(t, [{ role: 'OFFICER', unit: 'TD' }])).token;
  admin = (await principalWith(t, [{ role: 'ADMIN', unit: 'TP' }])).token;
  campaign = await insertCampaign(t, ids.TP);
});
afterAll(() => t?.close());

const retire = (id: number): [string, unknown[]] => [`update admin_unit set valid_to = '2023-01-01' where id = $1`, [id]];
const unretire = (id: number) => t.sql(`update admin_unit set valid_to = null where id = $1`, [id]);

describe('a unit retired or moved while a write checked it', () => {
  it('createTeam on a commune retired meanwhile: CONFLICT, nothing written', async () => {
    const before = await teamTables(t);
    const held = await holdLocks(t, [retire(ids.TC2)]);
    const pending = gql(t, CREATE_TEAM, { input: { unitId: gid('Unit', ids.TC2), name: 'Tổ 9', kind: 'OTHER' } }, officer);
    await held.waiters(1);
    await held.release();
    const r = await pending;
    expect(codeOf(r)).toBe('CONFLICT');
    expect(r.errors![0].message).toMatch(/was moved or retired while this change was being made/);
    expect(await teamTables(t)).toBe(before);
    await unretire(ids.TC2);
  });

  it('assignTeam to a hamlet retired meanwhile: CONFLICT, nothing written', async () => {
    const team = await createTeam(t, officer, ids.TC, 'Tổ rà soát');
    const member = await addMember(t, officer, team, { fullName: 'Nguyễn Văn An', isLeader: true });
    const before = await teamTables(t);
    const held = await holdLocks(t, [retire(ids['TC-2'])]);
    const pending = gql(t, ASSIGN, { input: assignInput(team, campaign, [ids['TC-1'], ids['TC-2']], member) }, officer);
    await held.waiters(1);
    await held.release();
    const r = await pending;
    expect(codeOf(r)).toBe('CONFLICT');
    expect(await teamTables(t)).toBe(before);
    await unretire(ids['TC-2']);
    ok(await gql(t, ASSIGN, { input: assignInput(team, campaign, [ids['TC-1'], ids['TC-2']], member) }, officer));
  });

  it('grantRole at a commune moved out of the granter’s jurisdiction meanwhile: CONFLICT, no grant', async () => {
    const target = await principalWith(t, [{ role: 'VIEWER', unit: 'TC' }]);
    await t.sql(`update principal set home_unit_id = $1 where id = $2`, [ids.TC, target.id]);
    const grants = async () => (await t.sql<{ n: number }>(`select count(*)::int as n from "grant" where principal_id = $1`, [target.id]))[0].n;
    const n = await grants();
    const [od] = await t.sql<{ path: string }>(`select path::text as path from admin_unit where id = $1`, [ids.OD]);
    const held = await holdLocks(t, [[`update admin_unit set parent_id = $1, path = ($2 || '.' || id)::ltree where id = $3`, [ids.OD, od.path, ids.TC2]]]);
    const pending = gql(t, `mutation($i: GrantRoleInput!) { grantRole(input: $i) { grant { id } } }`, { i: { principalId: gid('Principal', target.id), role: 'OFFICER', unitId: gid('Unit', ids.TC2) } }, admin);
    await held.waiters(1);
    await held.release();
    const r = await pending;
    expect(codeOf(r)).toBe('CONFLICT');
    expect(await grants()).toBe(n);
  });
});
