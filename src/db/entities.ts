import { AdminUnit } from '../units/unit.entity';
import { ApiKey, Grant, Principal, RefreshSession, RefreshTokenUsed } from '../auth/principal.entity';
import { AuditEntry } from '../audit/audit.entity';
import { Metric, MetricCatalogueVersion } from '../metrics/metric.entity';
import { RateLimitCounter } from '../common/rate-limit.entity';
import { LoginAttempt } from '../auth/login-attempt.entity';
import { Campaign, CampaignMetric } from '../campaigns/campaign.entity';
import { Quota, QuotaHistory } from '../quotas/quota.entity';
import { ProgressHistory, ProgressReport, RollupChange, RollupTotal } from '../progress/progress.entity';
import { Team, TeamAssignment, TeamMember } from '../teams/team.entity';
import { UnitLineage, UnitMembership, UnitNameHistory } from '../units/tree.entity';

/** Every MikroORM entity, in one list for the ORM and the migration check. */
export const entities = [
  AdminUnit, Principal, Grant, RefreshSession, RefreshTokenUsed, ApiKey, AuditEntry, Metric, MetricCatalogueVersion, RateLimitCounter, LoginAttempt,
  Campaign, CampaignMetric, Quota, QuotaHistory, ProgressReport, ProgressHistory, RollupChange, RollupTotal,
  Team, TeamMember, TeamAssignment, UnitMembership, UnitNameHistory, UnitLineage,
];
