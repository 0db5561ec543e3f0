import type { EntityManager } from '@mikro-orm/postgresql';
import { unscoped } from '../common/scoped';
import { campaignsByIds, type CampaignRow } from './campaign.repo';
import type { AllocationMode, CampaignStatus, CountingMode } from './campaign-enums';

/** Writes to campaign and campaign_metric. Callers have checked jurisdiction on the campaign's scope unit. */

export interface CampaignFields {
  name: string;
  description: string;
  startDate: string;
  deadline: string;
  minTeamsPerHamlet: number;
}

export interface CampaignMetricSpec {
  code: string;
  countingMode: CountingMode;
  allocationMode: AllocationMode;
}

/** Re-reads a campaign row inside the transaction, locking it (`for update` for status changes, `for share` for quota writes). */
export async function lockCampaign(em: EntityManager, id: number, mode: 'update' | 'share'): Promise<CampaignRow | null> {
  const [row] = await campaignsByIds(em, [id], unscoped('lock inside a write: the caller was allowed to act on this campaign'), `for ${mode} of c`);
  return row ?? null;
}

export async function insertCampaign(em: EntityManager, f: CampaignFields, scopeUnitId: number | null, createdBy: number | null): Promise<number> {
  const [{ id }] = await em.execute(
    `insert into campaign (name, description, scope_unit_id, start_date, deadline, status, min_teams_per_hamlet, created_by_id, created_at, updated_at)
     values (?, ?, ?, ?, ?, 'DRAFT', ?, ?, now(), now()) returning id`,
    [f.name, f.description, scopeUnitId, f.startDate, f.deadline, f.minTeamsPerHamlet, createdBy],
  );
  return id;
}

export async function updateCampaignRow(em: EntityManager, id: number, f: CampaignFields): Promise<void> {
  await em.execute(
    'update campaign set name = ?, description = ?, start_date = ?, deadline = ?, min_teams_per_hamlet = ?, updated_at = now() where id = ?',
    [f.name, f.description, f.startDate, f.deadline, f.minTeamsPerHamlet, id],
  );
}

export async function setCampaignStatus(em: EntityManager, id: number, status: CampaignStatus): Promise<void> {
  await em.execute('update campaign set status = ?, updated_at = now() where id = ?', [status, id]);
}

/** Replaces a campaign's metric list in two statements. */
export async function replaceCampaignMetrics(em: EntityManager, id: number, metrics: CampaignMetricSpec[]): Promise<void> {
  await em.execute('delete from campaign_metric where campaign_id = ?', [id]);
  await em.execute(
    `insert into campaign_metric (campaign_id, metric_code, counting_mode, allocation_mode) values ${metrics.map(() => '(?, ?, ?, ?)').join(', ')}`,
    metrics.flatMap((m) => [id, m.code, m.countingMode, m.allocationMode]),
  );
}
