import { AdminUnit } from '../units/unit.entity';
import { ApiKey, Grant, Principal, RefreshSession } from '../auth/principal.entity';
import { AuditEntry } from '../audit/audit.entity';
import { Metric } from '../metrics/metric.entity';
import { ProgressHistory, ProgressReport, RollupChange, RollupTotal } from '../progress/progress.entity';

/** Every MikroORM entity, in one list for the ORM and the migration check. */
export const entities = [AdminUnit, Principal, Grant, RefreshSession, ApiKey, AuditEntry, Metric, ProgressReport, ProgressHistory, RollupChange, RollupTotal];
