import { startTestApp, type TestApp } from '../support/app';
import { codeOf, gql, ok } from '../support/client';
import { principalWith } from '../support/principals';
import { gid, insertCampaign, teamTree } from './support';

let t: TestApp;
let ids: Record<string, number>;
let officer: string;
let campaign: number;
let otherCampaign: number;

/** A team at `unit` (active unless told), with one member, assigned to `hamlets` in `campaignId` (status given). */
async function team(unit: string, hamlets: string[], opts: { campaignId?: number; active?: boolean; status?: string } = {}): Promise<void> {
  const [{ id }] = await t.sql<{ id: number }>(
    `insert into team (unit_id, name, kind, active, created_at, updated_at) values ($1, $2, 'YOUTH_UNION', $3, now(), now()) returning id`,
    [ids[unit], `Tổ ${unit}`, opts.active ?? true],
  );
  const [m] = await t.sql<{ id: number }>(
    `insert into team_member (team_id, full_name, phone, is_leader, created_at, updated_at) values ($1, 'Tổ trưởng', '0900 000 000', true, now(), now()) returning id`,
    [id],
  );
  for (const h of hamlets) {
    await t.sql(
      `insert into team_assignment (team_id, hamlet_id, campaign_id, task, responsible_member_id, start_date, due_date, status, created_at, updated_at)
       values ($1, $2, $3, 'Rà soát', $4, '2023-09-05', '2023-10-05', $5, now(), now())`,
      [id, ids[h], opts.campaignId ?? campaign, m.id, opts.status ?? 'PLANNED'],
    );
  }
}

beforeAll(async () => {
  t = await startTestApp();
  ids = await teamTree(t);
  officer = (await principalWith(t, [{ role: 'OFFICER', unit: 'TD' }])).token;
  campaign = await insertCampaign(t, ids.TP, { min: 5 });
  otherCampaign = await insertCampaign(t, ids.TP, { min: 5 });
  // TC-1: 5 commune teams assigned. TC-2: 3 assigned + 2 of its own. TC-3: 2. TC-4: none.
  // TC-5: 4 active + 1 disbanded. TC-6: one in another campaign, one cancelled (counts 0).
  for (let i = 0; i < 5; i++) await team('TC', ['TC-1']);
  for (let i = 0; i < 3; i++) await team('TC', ['TC-2']);
  await team('TC-2', []);
  await team('TC-2', []);
  for (let i = 0; i < 2; i++) await team('TC', ['TC-3']);
  for (let i = 0; i < 4; i++) await team('TC', ['TC-5']);
  await team('TC', ['TC-5'], { active: false });
  await team('TC', ['TC-6'], { campaignId: otherCampaign });
  await team('TC', ['TC-6'], { status: 'CANCELLED' });
});
afterAll(() => t?.close());

const COVERAGE = `query($id: ID!, $c: ID!) { unit(id: $id) { teamCoverage(campaignId: $c) {
  minTeamsPerHamlet hamletCount hamletsMeetingMinimum hamletsBelowMinimum { hamlet { code } teamCount missing } } } }`;

describe('unit.teamCoverage', () => {
  it('a commune with 6 hamlets and a minimum of 5 teams: 2 meet it, the others listed fewest teams first', async () => {
    const c = ok(await gql(t, COVERAGE, { id: gid('Unit', ids.TC), c: gid('Campaign', campaign) }, officer)).unit.teamCoverage;
    expect(c).toEqual({
      minTeamsPerHamlet: 5,
      hamletCount: 6,
      hamletsMeetingMinimum: 2,
      hamletsBelowMinimum: [
        { hamlet: { code: 'TC-4' }, teamCount: 0, missing: 5 },
        { hamlet: { code: 'TC-6' }, teamCount: 0, missing: 5 },
        { hamlet: { code: 'TC-3' }, teamCount: 2, missing: 3 },
        { hamlet: { code: 'TC-5' }, teamCount: 4, missing: 1 },
      ],
    });
  });

  it('only hamlets and teams in your jurisdiction count; an invisible campaign answers NOT_FOUND', async () => {
    // TC-1's five teams belong to the commune: a hamlet VIEWER cannot see them, so they do not count for it either.
    const viewer = (await principalWith(t, [{ role: 'VIEWER', unit: 'TC-1' }])).token;
    const c = ok(await gql(t, COVERAGE, { id: gid('Unit', ids['TC-1']), c: gid('Campaign', campaign) }, viewer)).unit.teamCoverage;
    expect(c).toMatchObject({ hamletCount: 1, hamletsMeetingMinimum: 0, hamletsBelowMinimum: [{ hamlet: { code: 'TC-1' }, teamCount: 0, missing: 5 }] });
    const listed = ok(await gql(t, `query($c: ID!) { teams(campaignId: $c, first: 100) { totalCount nodes { id } } }`, { c: gid('Campaign', campaign) }, viewer)).teams;
    expect(listed).toEqual({ totalCount: 0, nodes: [] });
    const other = (await principalWith(t, [{ role: 'OFFICER', unit: 'OP' }])).token;
    const res = await gql(t, COVERAGE, { id: gid('Unit', ids.OC), c: gid('Campaign', campaign) }, other);
    expect(codeOf(res)).toBe('NOT_FOUND');
  });
});

describe('counts agree with the lists beside them', () => {
  it('a hamlet VIEWER counts exactly the teams it can list; the commune OFFICER counts them all', async () => {
    const viewer = (await principalWith(t, [{ role: 'VIEWER', unit: 'TC-2' }])).token;
    const Q = `query($id: ID!, $c: ID!) { unit(id: $id) { teams { id } teamCoverage(campaignId: $c) { hamletsBelowMinimum { teamCount } } } }`;
    const mine = ok(await gql(t, Q, { id: gid('Unit', ids['TC-2']), c: gid('Campaign', campaign) }, viewer)).unit;
    expect(mine.teams).toHaveLength(2);
    expect(mine.teamCoverage.hamletsBelowMinimum).toEqual([{ teamCount: 2 }]);
    const all = ok(await gql(t, Q, { id: gid('Unit', ids['TC-2']), c: gid('Campaign', campaign) }, officer)).unit;
    expect(all.teamCoverage.hamletsBelowMinimum).toEqual([]);
  });
});

describe('bounded statements', () => {
  const Q = `query($n: Int!, $c: ID!) { units(level: HAMLET, first: $n) { nodes { code
    teams { name leader { phone } members { fullName phone } assignments { hamlet { code } responsibleMember { fullName } campaign { name } } }
    teamCoverage(campaignId: $c) { hamletCount } } } }`;

  it('unit.teams with members, assignments and coverage: the same number of statements for 2 and 6 units', async () => {
    const two = await gql(t, Q, { n: 2, c: gid('Campaign', campaign) }, officer);
    const six = await gql(t, Q, { n: 6, c: gid('Campaign', campaign) }, officer);
    expect(ok(two).units.nodes).toHaveLength(2);
    expect(ok(six).units.nodes).toHaveLength(6);
    expect(ok(six).units.nodes[1].teams).toHaveLength(2);
    expect(two.extensions?.sqlStatements).toBeGreaterThan(0);
    expect(six.extensions?.sqlStatements).toBe(two.extensions?.sqlStatements);
  });

  it('teams connection with nested members: the same number of statements for 2 and 6 teams', async () => {
    const q = `query($n: Int!) { teams(first: $n) { totalCount nodes { name unit { code } members { phone } assignments { hamlet { code } } } } }`;
    const two = await gql(t, q, { n: 2 }, officer);
    const six = await gql(t, q, { n: 6 }, officer);
    expect(ok(six).teams.nodes).toHaveLength(6);
    expect(six.extensions?.sqlStatements).toBe(two.extensions?.sqlStatements);
  });
});
