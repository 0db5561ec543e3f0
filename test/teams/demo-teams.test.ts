import type { EntityManager } from '@mikro-orm/postgresql';
import { startTestApp, type TestApp } from '../support/app';
import { gql, ok } from '../support/client';
import { principalWith } from '../support/principals';
import { DEMO_CODES, seedDemoUnits } from '../../seeds/demo-units';
import { DEMO_CAMPAIGN_NAME, seedDemoCampaigns } from '../../seeds/demo-campaigns';
import { seedDemoTeams } from '../../seeds/demo-teams';
import { gid } from './support';

let t: TestApp;
beforeAll(async () => {
  t = await startTestApp();
  await t.app.orm.em.fork().transactional(async (tx) => {
    await seedDemoUnits(tx as EntityManager);
    await seedDemoCampaigns(tx as EntityManager);
  });
}, 120_000);
afterAll(() => t?.close());

const seed = () => t.app.orm.em.fork().transactional((tx) => seedDemoTeams(tx as EntityManager));

describe('demo teams (xã Bắc Sơn, xã Tam Tiến)', () => {
  it('forms 5, 5, 4, 3, 5, 2 teams at the hamlets of each commune, assigned in the province campaign; idempotent', async () => {
    const first = await seed();
    const perCommune = await t.sql<{ code: string; teams: number; assignments: number }>(
      `select c.code, count(distinct t.id)::int as teams, count(a.id)::int as assignments from team t join admin_unit h on h.id = t.unit_id
         join admin_unit c on c.id = h.parent_id left join team_assignment a on a.team_id = t.id group by c.code order by c.code`,
    );
    expect(perCommune.map((r) => r.code)).toEqual([DEMO_CODES.tamTien, DEMO_CODES.bacSon].sort());
    expect(perCommune.find((r) => r.code === DEMO_CODES.bacSon)).toEqual({ code: DEMO_CODES.bacSon, teams: 24, assignments: 24 });
    const total = perCommune.reduce((s, r) => s + r.teams, 0);
    expect(first).toEqual({ teams: total, members: 3 * total, assignments: total });
    expect(await seed()).toEqual({ teams: 0, members: 0, assignments: 0 });

    const [{ id: campaign }] = await t.sql<{ id: number }>(
      `select c.id from campaign c join admin_unit s on s.id = c.scope_unit_id where s.code = $1 and c.name = $2`, [DEMO_CODES.dongNai, DEMO_CAMPAIGN_NAME]);
    const officer = (await principalWith(t, [{ role: 'OFFICER', unit: DEMO_CODES.bacSon }])).token;
    const q = `query($c: ID!) { unitByCode(code: "${DEMO_CODES.bacSon}") { teamCoverage(campaignId: $c) {
      hamletCount hamletsMeetingMinimum hamletsBelowMinimum { hamlet { name } teamCount } } } }`;
    const coverage = ok(await gql(t, q, { c: gid('Campaign', campaign) }, officer)).unitByCode.teamCoverage;
    expect(coverage).toEqual({
      hamletCount: 6,
      hamletsMeetingMinimum: 3,
      hamletsBelowMinimum: [
        { hamlet: { name: 'Ấp 6' }, teamCount: 2 },
        { hamlet: { name: 'Ấp 4' }, teamCount: 3 },
        { hamlet: { name: 'Ấp 3' }, teamCount: 4 },
      ],
    });
    const teams = ok(await gql(t, `query($c: ID) { teams(campaignId: $c, first: 1) { totalCount nodes { leader { fullName phone } assignments { status } } } }`, { c: gid('Campaign', campaign) }, officer)).teams;
    expect(teams.totalCount).toBe(24);
    expect(teams.nodes[0].leader.phone).toMatch(/^0900 /);
    expect(teams.nodes[0].assignments).toEqual([{ status: 'IN_PROGRESS' }]);
    // the demo OFFICER's commune has teams too
    const tamTien = (await principalWith(t, [{ role: 'OFFICER', unit: DEMO_CODES.tamTien }])).token;
    expect(ok(await gql(t, `{ teams { totalCount } }`, {}, tamTien)).teams.totalCount).toBe(perCommune.find((r) => r.code === DEMO_CODES.tamTien)!.teams);
  });
});
