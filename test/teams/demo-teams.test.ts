import type { EntityManager } from '@mikro-orm/postgresql';
import { startTestApp, type TestApp } from '../support/app';
import { gql, ok } from '../support/client';
import { principalWith } from '../support/principals';
import { DEMO_CODES, seedDemoUnits } from '../../seeds/demo-units';
import { DEMO_CAMPAIGN_NAME, seedDemoCampaigns } from '../../seeds/demo-campaigns';
import { seedDemoTeams } from '../../seeds/demo-teams';
import { gid, insertCampaign } from './support';

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

describe('demo teams (xã Bắc Sơn)', () => {
  it('forms 5, 5, 4, 3, 5, 2 teams at the 6 ấp; assigns them once a Đồng Nai demo campaign exists; idempotent', async () => {
    expect(await seed()).toEqual({ teams: 24, members: 72, assignments: 0 });
    const [dongNai] = await t.sql<{ id: number }>('select id from admin_unit where code = $1', [DEMO_CODES.dongNai]);
    const campaign = await insertCampaign(t, dongNai.id, { min: 5 });
    await t.sql('update campaign set name = $1 where id = $2', [DEMO_CAMPAIGN_NAME, campaign]);
    expect(await seed()).toEqual({ teams: 0, members: 0, assignments: 24 });
    expect(await seed()).toEqual({ teams: 0, members: 0, assignments: 0 });

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
  });
});
