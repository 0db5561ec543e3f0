import type { EntityManager } from '@mikro-orm/postgresql';
import { audit } from '../src/audit/audit';
import { DEMO_CODES } from './demo-units';
import { insertDemoQuotas, quotaTree } from './demo-quotas';

/**
 * Demo campaigns and quotas (DOMAIN.md), on top of seedDemoUnits.
 *
 * One ACTIVE campaign "Chiến dịch cao điểm 90 ngày đêm" (2023-09-01 → 2023-11-30) per demo province, tracking
 * eid.collected and eid.activated (CUMULATIVE, STRICT), and one NATIONAL campaign (no scope unit, 2023) across
 * the five demo provinces, so that province rankings have something to rank. Province targets are the articles'
 * figures where they give one (Sóc Trăng 654,392, Bình Dương 1,005,735, Cao Bằng 228,984 activated; Núi Thành's
 * 62,600), SYNTHETIC otherwise (Quảng Nam, Đồng Nai, and the collected targets, set equal to the activated ones).
 * Each province's target is split down to every district, commune and hamlet by eligible citizens (demo-quotas.ts),
 * so every level of every demo province has a quota, a rank and a rate.
 * Idempotent: a campaign with the same name and scope is reused; existing quotas are never overwritten.
 */

export const DEMO_CAMPAIGN_NAME = 'Chiến dịch cao điểm 90 ngày đêm';
export const DEMO_NATIONAL_CAMPAIGN_NAME = 'Đề án 06 – định danh điện tử mức 2 toàn quốc 2023';

interface DemoCampaign {
  scope: string;
  /** Province target by metric. */
  targets: Record<'eid.collected' | 'eid.activated', number>;
  /** Targets the articles give below the province (kept; siblings share the rest). */
  fixed?: Record<string, number>;
}

export const DEMO_CAMPAIGNS: DemoCampaign[] = [
  { scope: DEMO_CODES.quangNam, targets: { 'eid.collected': 1_150_000, 'eid.activated': 1_150_000 }, fixed: { [DEMO_CODES.nuiThanh]: 62_600 } },
  { scope: DEMO_CODES.socTrang, targets: { 'eid.collected': 654_392, 'eid.activated': 654_392 } },
  { scope: DEMO_CODES.binhDuong, targets: { 'eid.collected': 1_005_735, 'eid.activated': 1_005_735 } },
  { scope: DEMO_CODES.caoBang, targets: { 'eid.collected': 228_984, 'eid.activated': 228_984 } },
  { scope: DEMO_CODES.dongNai, targets: { 'eid.collected': 2_400_000, 'eid.activated': 2_400_000 } },
];

const METRICS = ['eid.collected', 'eid.activated'] as const;

const DESCRIPTION =
  'Cao điểm 90 ngày đêm thu nhận hồ sơ và kích hoạt tài khoản định danh điện tử mức 2 (Đề án 06): ' +
  'các tổ công tác đi đến từng nhà, rà soát từng người; mỗi thôn ít nhất 5 tổ.';
const NATIONAL_DESCRIPTION = 'Chỉ tiêu toàn quốc năm 2023 giao cho từng tỉnh, thành phố (dữ liệu minh họa: năm tỉnh trong DOMAIN.md).';

async function ensureCampaign(em: EntityManager, name: string, description: string, scope: { id: number; path: string } | null, start: string, deadline: string): Promise<{ id: number; created: boolean }> {
  const [found] = await em.execute<{ id: number }[]>('select id from campaign where name = ? and scope_unit_id is not distinct from ?', [name, scope?.id ?? null]);
  if (found) return { id: found.id, created: false };
  const [campaign] = await em.execute<{ id: number }[]>(
    `insert into campaign (name, description, scope_unit_id, start_date, deadline, status, min_teams_per_hamlet, created_at, updated_at)
     values (?, ?, ?, ?, ?, 'ACTIVE', 5, now(), now()) returning id`,
    [name, description, scope?.id ?? null, start, deadline],
  );
  await em.execute(
    `insert into campaign_metric (campaign_id, metric_code, counting_mode, allocation_mode)
     values (?, 'eid.collected', 'CUMULATIVE', 'STRICT'), (?, 'eid.activated', 'CUMULATIVE', 'STRICT')`,
    [campaign.id, campaign.id],
  );
  await audit(em, null, [{ action: 'campaign.create', objectType: 'Campaign', objectId: campaign.id, unitPath: scope?.path ?? null, after: { name, seeded: true } }]);
  return { id: campaign.id, created: true };
}

export async function seedDemoCampaigns(em: EntityManager): Promise<{ campaigns: number; quotas: number }> {
  let campaigns = 0;
  let quotas = 0;
  const national = await ensureCampaign(em, DEMO_NATIONAL_CAMPAIGN_NAME, NATIONAL_DESCRIPTION, null, '2023-01-01', '2023-12-31');
  if (national.created) campaigns++;
  for (const demo of DEMO_CAMPAIGNS) {
    const [scope] = await em.execute<{ id: number; path: string }[]>('select id, path::text as path from admin_unit where code = ?', [demo.scope]);
    if (!scope) continue;
    const campaign = await ensureCampaign(em, DEMO_CAMPAIGN_NAME, DESCRIPTION, scope, '2023-09-01', '2023-11-30');
    if (campaign.created) campaigns++;
    for (const metric of METRICS) {
      quotas += await insertDemoQuotas(em, campaign.id, metric, await quotaTree(em, demo.scope, demo.targets[metric], demo.fixed));
      quotas += await insertDemoQuotas(em, national.id, metric, [{ unit: scope, target: demo.targets[metric] }]);
    }
  }
  return { campaigns, quotas };
}
