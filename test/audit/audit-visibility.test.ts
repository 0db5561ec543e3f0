import type { EntityManager } from '@mikro-orm/postgresql';
import { startTestApp, type TestApp } from '../support/app';
import { gql, codeOf, ok } from '../support/client';
import { smallTree } from '../support/factories';
import { login, REFRESH, unitGid, userWith } from '../support/accounts';
import { runRetention } from '../../src/audit/retention';

/*
 * Leak 1 of issue 15: the audit log filtered entries by the unit they were attached to (a principal's home
 * unit), so a commune ADMIN read the sign-ins, IP addresses, session ids and contact details of a SYSTEM_ADMIN
 * and a province ADMIN whose home unit lay in its commune. An entry about a principal is now visible only to
 * those who may read that principal.
 */
let t: TestApp;
let sys: { id: number; gid: string; username: string };
let provinceAdmin: { id: number; gid: string; username: string };
let communeAdmin: { id: number; gid: string; username: string };
let tokens: Record<'sys' | 'province' | 'commune', string>;
/** Principals created by the SYSTEM_ADMIN, homed in the commune: `plain` (no grants) and `wide` (ADMIN of the province too). */
let plain: string;
let wide: string;

const LOG = `query($p: ID) { auditLog(first: 100, principalId: $p) { totalCount nodes { id action objectId principalId before after } } }`;
type Entry = { id: string; action: string; objectId: string | null; principalId: string | null; before: unknown; after: any };

beforeAll(async () => {
  t = await startTestApp({ LOGIN_FAILURE_DELAY_MS: '1' });
  await smallTree(t);
  sys = await userWith(t, { home: 'C1', grants: [{ role: 'SYSTEM_ADMIN', unit: '*' }] });
  provinceAdmin = await userWith(t, { home: 'C1', grants: [{ role: 'ADMIN', unit: 'P1' }] });
  communeAdmin = await userWith(t, { home: 'C1', grants: [{ role: 'ADMIN', unit: 'C1' }] });
  tokens = {
    sys: (await login(t, sys.username)).accessToken,
    province: (await login(t, provinceAdmin.username)).accessToken,
    commune: (await login(t, communeAdmin.username)).accessToken,
  };
  const c1 = await unitGid(t, 'C1');
  const create = `mutation($u: String!) { createUser(input: { username: $u, displayName: "Trần Thị Hoa", email: "hoa@example.vn", phone: "0905 111 222",
    password: "long enough password", homeUnitId: "${c1}" }) { principal { id } } }`;
  plain = ok(await gql(t, create, { u: 'hoa.plain' }, tokens.sys)).createUser.principal.id;
  wide = ok(await gql(t, create, { u: 'hoa.wide' }, tokens.sys)).createUser.principal.id;
  const grant = `mutation($p: ID!, $u: ID!, $r: Role!) { grantRole(input: { principalId: $p, role: $r, unitId: $u }) { grant { id } } }`;
  ok(await gql(t, grant, { p: wide, u: await unitGid(t, 'P1'), r: 'ADMIN' }, tokens.sys));
  ok(await gql(t, grant, { p: wide, u: c1, r: 'VIEWER' }, tokens.sys));
  ok(await gql(t, grant, { p: plain, u: c1, r: 'VIEWER' }, tokens.sys));
  // A refresh-token reuse by the province ADMIN: used to log its session id and address in the commune.
  const s = await login(t, provinceAdmin.username);
  ok(await gql(t, REFRESH, { r: s.refreshToken }));
  expect(codeOf(await gql(t, REFRESH, { r: s.refreshToken }))).toBe('UNAUTHENTICATED');
});
afterAll(() => t?.close());

const entries = async (token: string, actor?: string): Promise<{ totalCount: number; nodes: Entry[] }> => ok(await gql(t, LOG, { p: actor ?? null }, token)).auditLog;
const about = (e: Entry): string | null => (e.objectId && ['auth', 'principal'].includes(e.action.split('.')[0]) ? e.objectId : null);

describe('entries about a principal', () => {
  it('a commune ADMIN sees none about principals it may not read, though their home unit is its commune', async () => {
    const { nodes, totalCount } = await entries(tokens.commune);
    const subjects = new Set(nodes.map(about).filter(Boolean));
    expect(subjects.has(sys.gid)).toBe(false);
    expect(subjects.has(provinceAdmin.gid)).toBe(false);
    expect(subjects.has(wide)).toBe(false);
    expect(nodes.filter((e) => e.action.startsWith('grant.') && e.after?.principalId !== undefined).map((e) => e.action)).toEqual(['grant.create']);
    expect(nodes.map((e) => e.action)).not.toContain('auth.refresh_reuse_detected');
    expect(totalCount).toBe(nodes.length);
    // Beside the refusals: what it may read, with the personal data it may see on the principal itself.
    const created = nodes.find((e) => e.action === 'principal.create_user' && e.objectId === plain)!;
    expect(created.after).toMatchObject({ username: 'hoa.plain', email: 'hoa@example.vn', phone: '0905 111 222' });
    const ownLogin = nodes.find((e) => e.action === 'auth.login' && e.objectId === communeAdmin.gid)!;
    expect(ownLogin.after.ip).toEqual(expect.any(String));
  });

  it('filtering by actor does not reach past that: the SYSTEM_ADMIN\'s own sign-ins stay invisible', async () => {
    const { nodes } = await entries(tokens.commune, sys.gid);
    expect(nodes.map((e) => e.action).sort()).toEqual(['grant.create', 'principal.create_user']);
  });

  it('node(id) of an entry about an unreadable principal is NOT_FOUND; one about a readable principal works', async () => {
    const all = (await entries(tokens.sys)).nodes;
    const sysLogin = all.find((e) => e.action === 'auth.login' && e.objectId === sys.gid)!;
    const plainCreated = all.find((e) => e.action === 'principal.create_user' && e.objectId === plain)!;
    const NODE = `query($id: ID!) { node(id: $id) { id } }`;
    expect(codeOf(await gql(t, NODE, { id: sysLogin.id }, tokens.commune))).toBe('NOT_FOUND');
    expect(codeOf(await gql(t, NODE, { id: sysLogin.id }, tokens.province))).toBe('NOT_FOUND');
    expect(ok(await gql(t, NODE, { id: plainCreated.id }, tokens.commune)).node.id).toBe(plainCreated.id);
  });

  it('the province ADMIN sees its own refresh-reuse entry (with the address), the SYSTEM_ADMIN everything', async () => {
    const mine = (await entries(tokens.province)).nodes.find((e) => e.action === 'auth.refresh_reuse_detected')!;
    expect(mine.objectId).toBe(provinceAdmin.gid);
    expect(mine.after).toEqual({ ip: expect.any(String) });
    const everything = (await entries(tokens.sys)).nodes;
    expect(everything.some((e) => about(e) === sys.gid)).toBe(true);
  });

  it('session ids appear nowhere in the log, for nobody, and are not stored', async () => {
    for (const token of Object.values(tokens)) expect(JSON.stringify((await entries(token)).nodes)).not.toMatch(/sessionId|[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-/);
    expect(await t.sql(`select id from audit_entry where before ? 'sessionId' or after ? 'sessionId'`)).toEqual([]);
  });
});

describe('retention of client addresses', () => {
  it('the retention pass removes addresses older than AUDIT_IP_RETENTION_DAYS and keeps recent ones', async () => {
    const [old] = await t.sql<{ id: string }>(
      `insert into audit_entry (at, principal_id, subject_principal_id, action, object_type, object_id, after) values (now() - interval '31 days', $1::int, $1::int, 'auth.login', 'Principal', $1::text, '{"ip":"203.0.113.9"}') returning id`,
      [communeAdmin.id],
    );
    // (The app's own hourly pass may run first: either way the address is gone.)
    const r = await runRetention(t.app.orm.em.fork() as EntityManager, 30);
    expect(r.addressesStripped).toBeLessThanOrEqual(1);
    expect(await t.sql(`select after from audit_entry where id = $1`, [old.id])).toEqual([{ after: {} }]);
    const recent = await t.sql<{ n: number }>(`select count(*)::int as n from audit_entry where after ? 'ip'`);
    expect(recent[0].n).toBeGreaterThan(0);
  });

  it('stale throttle rows and the used-token hashes of ended sessions go too', async () => {
    await t.sql(`insert into login_attempt (key, failures, window_started_at) values ('ip:198.51.100.7', 3, now() - interval '1 hour')`);
    const s = await login(t, communeAdmin.username);
    ok(await gql(t, REFRESH, { r: s.refreshToken }));
    const sid = s.refreshToken.split('.')[0];
    await t.sql(`update refresh_session set revoked_at = now() where id = $1`, [sid]);
    await runRetention(t.app.orm.em.fork() as EntityManager, 30);
    expect(await t.sql(`select 1 from login_attempt where key = 'ip:198.51.100.7'`)).toEqual([]);
    expect(await t.sql(`select 1 from refresh_token_used where session_id = $1`, [sid])).toEqual([]);
  });
});
