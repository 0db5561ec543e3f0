import { startTestApp, type TestApp } from '../support/app';
import { gql, codeOf, ok } from '../support/client';
import { smallTree } from '../support/factories';
import { login, unitGid, userWith } from '../support/accounts';

/* A VIEWER grant without a unit reads the whole country (leadership dashboards) and changes nothing. */
let t: TestApp;
const GRANT = `mutation($p: ID!, $u: ID) { grantRole(input: { principalId: $p, role: VIEWER, unitId: $u }) { grant { role unit { code } } } }`;

beforeAll(async () => {
  t = await startTestApp();
  await smallTree(t);
});
afterAll(() => t?.close());

it('is granted by SYSTEM_ADMIN only, reads every province, and writes nothing', async () => {
  const sys = await userWith(t, { grants: [{ role: 'SYSTEM_ADMIN', unit: '*' }] });
  const admin = await userWith(t, { home: 'P1', grants: [{ role: 'ADMIN', unit: 'P1' }] });
  const leader = await userWith(t, { home: 'P1' });
  const sysToken = (await login(t, sys.username)).accessToken;
  const adminToken = (await login(t, admin.username)).accessToken;

  expect(codeOf(await gql(t, GRANT, { p: leader.gid }, adminToken))).toBe('FORBIDDEN');
  const granted = ok(await gql(t, GRANT, { p: leader.gid }, sysToken)).grantRole.grant;
  expect(granted).toEqual({ role: 'VIEWER', unit: null });

  const token = (await login(t, leader.username)).accessToken;
  const units = ok(await gql(t, `{ units(level: PROVINCE) { totalCount nodes { code } } }`, {}, token)).units;
  expect(units.nodes.map((n: { code: string }) => n.code)).toEqual(['P1', 'P2']);
  const update = await gql(t, `mutation($id: ID!) { updateUnit(input: { id: $id, name: "X" }) { unit { name } } }`, { id: await unitGid(t, 'C3') }, token);
  expect(codeOf(update)).toBe('FORBIDDEN');
  expect((await t.sql<{ name: string }>(`select name from admin_unit where code = 'C3'`))[0].name).toBe('Xã Bắc Sơn');
});
