import type { Context } from '../context';
import { allowed } from '../common/scoped';
import type { AuditRow } from './audit.repo';

/** Keys of `before`/`after` that hold personal data (Decree 13/2023): e-mail, phone numbers, client addresses. */
export const PERSONAL_KEYS = new Set(['email', 'phone', 'ip']);
const REDACTED = '[redacted]';

/**
 * Whether the reader may see the personal data of an entry: the same people who see it on the live object.
 * About a principal: those who may read that principal (its e-mail and phone are on the Principal type).
 * About a team member: those with readContact on the member's team (ability.ts). Anything else: nobody but
 * a SYSTEM_ADMIN (whose ability allows every rule), so a new kind of entry is redacted until decided.
 */
function mayReadPersonalData(ctx: Context, row: AuditRow): boolean {
  if (row.subjectPrincipalId !== null) {
    return allowed(ctx, 'read', 'Principal', { homePath: row.subjectHomePath, grantPaths: row.subjectGrantPaths ?? [] });
  }
  if (row.objectType === 'TeamMember') {
    const teamId = (row.after as { teamId?: number } | null)?.teamId ?? (row.before as { teamId?: number } | null)?.teamId;
    return allowed(ctx, 'readContact', 'TeamMember', { path: row.unitPath ?? '', teamId });
  }
  return allowed(ctx, 'readContact', 'TeamMember', { path: '', teamId: null });
}

function redact(value: unknown): unknown {
  if (Array.isArray(value)) return value.map(redact);
  if (!value || typeof value !== 'object') return value;
  return Object.fromEntries(
    Object.entries(value as Record<string, unknown>).map(([k, v]) => [k, PERSONAL_KEYS.has(k) && v != null ? REDACTED : redact(v)]),
  );
}

/** The row as this reader may see it: personal data replaced by "[redacted]" unless allowed. */
export function forReader(ctx: Context, row: AuditRow): AuditRow {
  if (mayReadPersonalData(ctx, row)) return row;
  return { ...row, before: redact(row.before), after: redact(row.after) };
}
