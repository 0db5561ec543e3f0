import { registerNodeType } from '../common/node';
import { findAuditEntry } from './audit.service';

registerNodeType('AuditEntry', (ctx, id) => findAuditEntry(ctx, id));
