import type { EntityManager } from '@mikro-orm/postgresql';
import { audit } from '../src/audit/audit';
import { DEMO_CODES } from './demo-units';

/**
 * Demo campaigns and quotas from DOMAIN.md, on top of seedDemoUnits (call it first, in the same transaction or after).
 *
 * One ACTIVE campaign "Chiến dịch cao điểm 90 ngày đêm" (2023-09-01 → 2023-11-30) per demo province that has
 * a figure in the articles — a per-province choice because the tree has no national root unit to scope a
 * national campaign at, and because provinces assign their own quotas. Each tracks eid.collected and eid.activated
 * (CUMULATIVE, STRICT). Quotas (the "assigned by" figures of the articles; assigned by "system", i.e. no principal):
 *   Quảng Nam (49): Huyện Núi Thành (517) eid.collected 62,600 and eid.activated 62,600 (no province figure given)
 *   Sóc Trăng (94): eid.activated 654,392
 *   Bình Dương (74): eid.activated 1,005,735
 *   Cao Bằng (04): eid.activated 228,984
 * Idempotent: a campaign with the same name and scope unit is reused; existing quotas are never overwritten.
 * Provinces missing from the database are skipped. Each new quota gets its history row and audit entry.
 * Wire-up (seeds/demo.ts): `await em.transactional((tx) => seedDemoCampaigns(tx as EntityManager))` after the units.
 */

export const DEMO_CAMPAIGN_NAME = 'Chiến dịch cao điểm 90 ngày đêm';

interface DemoCampaign {
  scope: string;
  quotas: [unitCode: string, metric: string, target: number][];
}

export const DEMO_CAMPAIGNS: DemoCampaign[] = [
  { scope: DEMO_CODES.quangNam, quotas: [[DEMO_CODES.nuiThanh, 'eid.collected', 62_600], [DEMO_CODES.nuiThanh, 'eid.activated', 62_600]] },
  { scope: DEMO_CODES.socTrang, quotas: [[DEMO_CODES.socTrang, 'eid.activated', 654_392]] },
  { scope: DEMO_CODES.binhDuong, quotas: [[DEMO_CODES.binhDuong, 'eid.activated', 1_005_735]] },
  { scope: DEMO_CODES.caoBang, quotas: [[DEMO_CODES.caoBang, 'eid.activated', 228_984]] },
];

const DESCRIPTION =
  'Cao điểm 90 ngày đêm thu nhận hồ sơ và kích hoạt tài khoản định danh điện tử mức 2 (Đề án 06): ' +
  'các tổ công tác đi đến từng nhà, rà soát từng người; mỗi thôn ít nhất 5 tổ.';

export async function seedDemoCampaigns(em: EntityManager): Promise<{ campaigns: number; quotas: number }> {
  let campaigns = 0;
  let quotas = 0;
  for (const demo of DEMO_CAMPAIGNS) {
    const [scope] = await em.execute<{ id: number; path: string }[]>('select id, path::text as path from admin_unit where code = ?', [demo.scope]);
    if (!scope) continue;
    let [campaign] = await em.execute<{ id: number }[]>('select id from campaign where name = ? and scope_unit_id = ?', [DEMO_CAMPAIGN_NAME, scope.id]);
    if (!campaign) {
      [campaign] = await em.execute<{ id: number }[]>(
        `insert into campaign (name, description, scope_unit_id, start_date, deadline, status, min_teams_per_hamlet, created_at, updated_at)
         values (?, ?, ?, '2023-09-01', '2023-11-30', 'ACTIVE', 5, now(), now()) returning id`,
        [DEMO_CAMPAIGN_NAME, DESCRIPTION, scope.id],
      );
      await em.execute(
        `insert into campaign_metric (campaign_id, metric_code, counting_mode, allocation_mode)
         values (?, 'eid.collected', 'CUMULATIVE', 'STRICT'), (?, 'eid.activated', 'CUMULATIVE', 'STRICT')`,
        [campaign.id, campaign.id],
      );
      await audit(em, null, [{ action: 'campaign.create', objectType: 'Campaign', objectId: campaign.id, unitPath: scope.path, after: { name: DEMO_CAMPAIGN_NAME, seeded: true } }]);
      campaigns++;
    }
    for (const [unitCode, metric, target] of demo.quotas) {
      const inserted = await em.execute<{ id: number; unitId: number; path: string }[]>(
        `with q as (
           insert into quota (campaign_id, unit_id, metric_code, target, assigned_by_id, assigned_at)
           select ?, u.id, ?, ?, null, now() from admin_unit u where u.code = ?
           on conflict (campaign_id, unit_id, metric_code) do nothing
           returning id, unit_id)
         select q.id, q.unit_id as "unitId", u.path::text as path from q join admin_unit u on u.id = q.unit_id`,
        [campaign.id, metric, target, unitCode],
      );
      for (const q of inserted) {
        await em.execute(
          `insert into quota_history (campaign_id, unit_id, metric_code, old_target, new_target, changed_by_id, changed_at, request_id)
           values (?, ?, ?, null, ?, null, now(), null)`,
          [campaign.id, q.unitId, metric, target],
        );
        await audit(em, null, [{ action: 'quota.assign', objectType: 'Quota', objectId: q.id, unitPath: q.path, before: null, after: { campaignId: campaign.id, metric, unitId: q.unitId, target, seeded: true } }]);
        quotas++;
      }
    }
  }
  return { campaigns, quotas };
}
