import type { EntityManager } from '@mikro-orm/postgresql';
import { audit } from '../src/audit/audit';
import { DEMO_CODES } from './demo-units';
import { DEMO_CAMPAIGN_NAME } from './demo-campaigns';

/**
 * Demo field teams at the demo communes with accounts: xã Bắc Sơn (Trảng Bom, Đồng Nai), whose "6 ấp" the articles
 * mention, and xã Tam Tiến (Núi Thành, Quảng Nam), the demo OFFICER's commune. Teams are formed at each hamlet,
 * some with the 5 teams Núi Thành asks for and some fewer (so unit.teamCoverage has hamlets to fix): hamlets 1..6
 * get 5, 5, 4, 3, 5, 2 teams (then the pattern repeats). Each team has a leader and two members (SYNTHETIC names
 * and phone numbers). If the province has the demo campaign (DEMO_CAMPAIGN_NAME), each team is assigned to its
 * hamlet in it ("5 clear": task, responsible leader, campaign period, an eid.activated target); otherwise teams are
 * formed only. Idempotent: a team with the same name at the same hamlet is reused; an assignment is never duplicated.
 */

export const DEMO_TEAMS_PER_HAMLET = [5, 5, 4, 3, 5, 2];

/** [commune code, its province code, the commune's name for the organisations]. */
export const DEMO_TEAM_COMMUNES: readonly [commune: string, province: string, name: string][] = [
  [DEMO_CODES.bacSon, DEMO_CODES.dongNai, 'xã Bắc Sơn'],
  [DEMO_CODES.tamTien, DEMO_CODES.quangNam, 'xã Tam Tiến'],
];

const KINDS: [kind: string, label: string, organisation: string][] = [
  ['POLICE', 'Công an', 'Công an'],
  ['YOUTH_UNION', 'Đoàn thanh niên', 'Đoàn thanh niên'],
  ['COMMUNITY_DIGITAL_TEAM', 'Tổ công nghệ số cộng đồng', 'Tổ công nghệ số cộng đồng'],
  ['WOMEN_UNION', 'Hội phụ nữ', 'Hội liên hiệp phụ nữ'],
  ['VETERANS_ASSOCIATION', 'Hội cựu chiến binh', 'Hội cựu chiến binh'],
];
const FAMILY = ['Nguyễn', 'Trần', 'Lê', 'Phạm', 'Hoàng', 'Võ'];
const GIVEN = ['Văn An', 'Thị Bình', 'Văn Cường', 'Thị Dung', 'Minh Đức', 'Thị Hoa', 'Quốc Huy'];

export async function seedDemoTeams(em: EntityManager): Promise<{ teams: number; members: number; assignments: number }> {
  const out = { teams: 0, members: 0, assignments: 0 };
  for (const [commune, province, communeName] of DEMO_TEAM_COMMUNES) {
    const one = await seedTeamsOfCommune(em, commune, province, communeName);
    out.teams += one.teams;
    out.members += one.members;
    out.assignments += one.assignments;
  }
  return out;
}

async function seedTeamsOfCommune(em: EntityManager, communeCode: string, provinceCode: string, communeName: string): Promise<{ teams: number; members: number; assignments: number }> {
  const out = { teams: 0, members: 0, assignments: 0 };
  const hamlets = await em.execute<{ id: number; code: string; name: string; path: string }[]>(
    `select h.id, h.code, h.name, h.path::text as path from admin_unit h join admin_unit c on c.id = h.parent_id
      where c.code = ? and h.level = 'HAMLET' and h.valid_to is null order by h.code`,
    [communeCode],
  );
  const [campaign] = await em.execute<{ id: number; startDate: string; deadline: string; metric: string | null }[]>(
    `select c.id, to_char(c.start_date, 'YYYY-MM-DD') as "startDate", to_char(c.deadline, 'YYYY-MM-DD') as deadline,
            (select cm.metric_code from campaign_metric cm where cm.campaign_id = c.id order by cm.metric_code = 'eid.activated' desc, cm.metric_code limit 1) as metric
       from campaign c join admin_unit su on su.id = c.scope_unit_id
      where su.code = ? and c.name = ? and c.status <> 'CLOSED' order by c.id limit 1`,
    [provinceCode, DEMO_CAMPAIGN_NAME],
  );
  for (const [h, hamlet] of hamlets.entries()) {
    for (let k = 0; k < DEMO_TEAMS_PER_HAMLET[h % DEMO_TEAMS_PER_HAMLET.length]; k++) {
      const [kind, label, org] = KINDS[k % KINDS.length];
      const organisation = `${org} ${communeName}`;
      const name = `Tổ ${label} – ${hamlet.name}`;
      let [team] = await em.execute<{ id: number }[]>('select id from team where unit_id = ? and name = ?', [hamlet.id, name]);
      let leaderId: number;
      if (!team) {
        [team] = await em.execute<{ id: number }[]>(
          `insert into team (unit_id, name, kind, active, created_at, updated_at) values (?, ?, ?, true, now(), now()) returning id`,
          [hamlet.id, name, kind],
        );
        const members = [0, 1, 2].map((m) => ({
          fullName: `${FAMILY[(h + k + m) % FAMILY.length]} ${GIVEN[(h * 3 + k * 2 + m) % GIVEN.length]}`,
          role: m === 0 ? 'tổ trưởng' : 'tổ viên',
          phone: `0900 ${String(h + 1).padStart(2, '0')}${k}${m} 00`,
          isLeader: m === 0,
        }));
        const rows = await em.execute<{ id: number }[]>(
          `insert into team_member (team_id, full_name, organisation, role, phone, is_leader, created_at, updated_at)
           values ${members.map(() => '(?, ?, ?, ?, ?, ?, now(), now())').join(', ')} returning id`,
          members.flatMap((m) => [team.id, m.fullName, organisation, m.role, m.phone, m.isLeader]),
        );
        leaderId = Math.min(...rows.map((r) => r.id));
        await audit(em, null, [{ action: 'team.create', objectType: 'Team', objectId: team.id, unitPath: hamlet.path, after: { name, kind, members: members.length, seeded: true } }]);
        out.teams++;
        out.members += members.length;
      } else {
        [{ id: leaderId }] = await em.execute<{ id: number }[]>('select id from team_member where team_id = ? and removed_at is null order by is_leader desc, id limit 1', [team.id]);
      }
      if (!campaign) continue;
      const inserted = await em.execute<{ id: number }[]>(
        `insert into team_assignment (team_id, hamlet_id, campaign_id, task, responsible_member_id, start_date, due_date, expected_results, status, created_at, updated_at)
         select ?, ?, ?, ?, ?, ?, ?, ?::jsonb, 'IN_PROGRESS', now(), now()
          where not exists (select 1 from team_assignment where team_id = ? and hamlet_id = ? and campaign_id = ?)
         returning id`,
        [
          team.id, hamlet.id, campaign.id, `Đến từng nhà ở ${hamlet.name}, rà soát từng người chưa có hoặc chưa kích hoạt tài khoản định danh điện tử`,
          leaderId, campaign.startDate, campaign.deadline, JSON.stringify(campaign.metric ? [{ metric: campaign.metric, target: 100 }] : []),
          team.id, hamlet.id, campaign.id,
        ],
      );
      for (const a of inserted) {
        await audit(em, null, [{ action: 'team.assign', objectType: 'TeamAssignment', objectId: a.id, unitPath: hamlet.path, after: { teamId: team.id, campaignId: campaign.id, hamletId: hamlet.id, seeded: true } }]);
        out.assignments++;
      }
    }
  }
  return out;
}
