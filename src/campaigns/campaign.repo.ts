import type { EntityManager } from '@mikro-orm/postgresql';
import type { Scope } from '../common/scoped';
import type { Page } from '../common/pagination';
import type { LockableRows } from '../common/transaction';
import type { MetricRow } from '../metrics/metric.types';
import type { AllocationMode, CampaignStatus, CountingMode } from './campaign-enums';

/** A campaign as reads return it; `scopePath` is its scope unit's path (what the jurisdiction rules look at). */
export interface CampaignRow {
  id: number;
  name: string;
  description: string;
  scopeUnitId: number | null;
  scopePath: string;
  startDate: string;
  deadline: string;
  status: CampaignStatus;
  minTeamsPerHamlet: number;
  createdAt: Date;
  updatedAt: Date;
}

export interface CampaignMetricRow extends MetricRow {
  campaignId: number;
  countingMode: CountingMode;
  allocationMode: AllocationMode;
}

/** Column map for the jurisdiction condition: a campaign is judged by its scope unit's path. */
export const campaignColumns = { path: "coalesce(su.path, ''::ltree)", id: 'c.id' };

const COLUMNS = `c.id, c.name, c.description, c.scope_unit_id as "scopeUnitId", coalesce(su.path, ''::ltree)::text as "scopePath",
  to_char(c.start_date, 'YYYY-MM-DD') as "startDate", to_char(c.deadline, 'YYYY-MM-DD') as deadline, c.status,
  c.min_teams_per_hamlet as "minTeamsPerHamlet", c.created_at as "createdAt", c.updated_at as "updatedAt"`;
const FROM = 'campaign c left join admin_unit su on su.id = c.scope_unit_id';

/** Every read takes the caller's jurisdiction over aliases `c` (campaign) and `su` (its scope unit). */
export async function campaignsByIds(em: EntityManager, ids: readonly number[], scope: Scope, lock = ''): Promise<CampaignRow[]> {
  if (ids.length === 0) return [];
  return em.execute(`select ${COLUMNS} from ${FROM} where c.id in (${ids.map(() => '?').join(',')}) and ${scope.sql} ${lock}`, [
    ...ids,
    ...scope.bindings,
  ]);
}

/** Campaigns as writes lock them (common/transaction.ts lockedForUpdate). */
export const CAMPAIGN_ROWS: LockableRows<CampaignRow> = { name: 'Campaign', alias: 'c', byIds: campaignsByIds };

export interface CampaignFilter {
  /** Campaigns whose scope covers this path or lies inside it. */
  unitPath?: string | null;
  status?: CampaignStatus | null;
  /** Campaigns running on this day (started, not past the deadline, not a draft). */
  activeOn?: string | null;
}

function filterSql(f: CampaignFilter, scope: Scope): { where: string; bindings: unknown[] } {
  const parts = [scope.sql];
  const bindings: unknown[] = [...scope.bindings];
  if (f.unitPath) {
    parts.push("(coalesce(su.path, ''::ltree) @> ?::ltree or su.path <@ ?::ltree)");
    bindings.push(f.unitPath, f.unitPath);
  }
  if (f.status) {
    parts.push('c.status = ?');
    bindings.push(f.status);
  }
  if (f.activeOn) {
    parts.push(`c.status <> 'DRAFT' and c.start_date <= ?::date and c.deadline >= ?::date`);
    bindings.push(f.activeOn, f.activeOn);
  }
  return { where: parts.join(' and '), bindings };
}

export async function listCampaigns(em: EntityManager, f: CampaignFilter, page: Page, scope: Scope): Promise<CampaignRow[]> {
  const { where, bindings } = filterSql(f, scope);
  return em.execute(`select ${COLUMNS} from ${FROM} where ${where} order by c.start_date desc, c.id desc limit ? offset ?`, [
    ...bindings,
    page.limit + 1,
    page.offset,
  ]);
}

export async function countCampaigns(em: EntityManager, f: CampaignFilter, scope: Scope): Promise<number> {
  const { where, bindings } = filterSql(f, scope);
  const [row] = await em.execute(`select count(*)::int as n from ${FROM} where ${where}`, bindings);
  return row.n;
}

/** The metrics of many campaigns in one statement, in catalogue order. */
export async function metricsOfCampaigns(em: EntityManager, ids: readonly number[], scope: Scope): Promise<CampaignMetricRow[]> {
  if (ids.length === 0) return [];
  return em.execute(
    `select cm.campaign_id as "campaignId", cm.counting_mode as "countingMode", cm.allocation_mode as "allocationMode",
            m.code, m.name_vi as "nameVi", m.name_en as "nameEn", m.description, m."group", m.reporting_level as "reportingLevel",
            m.pipeline_order as "pipelineOrder"
       from campaign_metric cm join ${FROM} on c.id = cm.campaign_id join metric m on m.code = cm.metric_code
      where cm.campaign_id in (${ids.map(() => '?').join(',')}) and ${scope.sql}
      order by m."group", m.pipeline_order nulls last, m.code`,
    [...ids, ...scope.bindings],
  );
}

/** Metric codes of a campaign that already carry quotas. */
export async function metricsWithQuotas(em: EntityManager, campaignId: number): Promise<string[]> {
  const rows: { code: string }[] = await em.execute('select distinct metric_code as code from quota where campaign_id = ?', [campaignId]);
  return rows.map((r) => r.code);
}
