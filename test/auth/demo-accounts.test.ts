import { startTestApp, type TestApp } from '../support/app';
import { gql, ok } from '../support/client';
import { seedDemo } from '../../seeds/demo';
import { DEMO_PASSWORD } from '../../seeds/demo-accounts';
import { LOGIN } from '../support/accounts';

let t: TestApp;
beforeAll(async () => {
  t = await startTestApp();
});
afterAll(() => t?.close());

describe('demo accounts', () => {
  it('are created idempotently with their grants, and sign in', async () => {
    const text = await seedDemo(t.app.orm, t.app.config, t.url);
    expect(text).toContain('admin.quangnam');
    expect(text).toContain(DEMO_PASSWORD);
    await seedDemo(t.app.orm, t.app.config, t.url);
    const grants = await t.sql<{ username: string; role: string; code: string | null }>(
      `select p.username, g.role, u.code from principal p join "grant" g on g.principal_id = p.id left join admin_unit u on u.id = g.unit_id order by p.username`,
    );
    const expected = [
      ['admin.quangnam', 'ADMIN', '49'], ['leader.tamtien', 'TEAM_LEADER', '20974'], ['officer.bacson', 'OFFICER', '26269'], ['officer.nuithanh', 'OFFICER', '517'],
      ['officer.tamtien', 'OFFICER', '20974'], ['sysadmin', 'SYSTEM_ADMIN', null], ['viewer.quangnam', 'VIEWER', '49'],
    ];
    const present = new Set((await t.sql<{ code: string }>(`select code from admin_unit where code in ('49', '517', '20974', '26269')`)).map((r) => r.code));
    expect(grants.map((g) => [g.username, g.role, g.code])).toEqual(expected.filter(([, , code]) => code === null || present.has(code!)));
    const leader = ok(await gql(t, LOGIN, { u: 'leader.tamtien', p: DEMO_PASSWORD })).login;
    const teams = ok(await gql(t, `{ teams { nodes { name assignments { hamlet { name } } } } }`, {}, leader.accessToken)).teams.nodes;
    expect(teams).toEqual([{ name: 'Tổ Công an – Thôn 1', assignments: [{ hamlet: { name: 'Thôn 1' } }] }]);
    const session = ok(await gql(t, LOGIN, { u: 'sysadmin', p: DEMO_PASSWORD })).login;
    expect(ok(await gql(t, `{ me { permissions } }`, {}, session.accessToken)).me.permissions).toContain('grant:Principal');
  });
});
