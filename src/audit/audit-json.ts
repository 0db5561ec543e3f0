import { toGlobalId } from '../common/global-id';

/** Keys of audit JSON that hold database ids, and the node type they name. */
const ID_KEYS: Record<string, string> = {
  id: '', // the changed object itself: typed by the entry's objectType
  unitId: 'Unit', parentId: 'Unit', homeUnitId: 'Unit', scopeUnitId: 'Unit', hamletId: 'Unit',
  principalId: 'Principal', grantedById: 'Principal',
  teamId: 'Team', campaignId: 'Campaign', responsibleMemberId: 'TeamMember',
  cancelledAssignmentIds: 'TeamAssignment',
};

/** Keys that hold a materialised path of unit ids (12.345.6789): shown as the list of units' global ids. */
const PATH_KEYS = new Set(['path', 'scopePath', 'unitPath', 'homePath']);

const globalise = (type: string, v: unknown): unknown => {
  if (typeof v === 'number' || (typeof v === 'string' && /^\d{1,15}$/.test(v))) return toGlobalId(type, v);
  if (Array.isArray(v)) return v.map((x) => globalise(type, x));
  return v;
};

/**
 * Audit entries store the database's own ids (what the writer had at hand); clients only ever see
 * global ids, so every id inside `before`/`after` is translated on the way out.
 */
export function globaliseAuditJson(value: unknown, objectType: string): unknown {
  if (value === null || typeof value !== 'object') return value;
  if (Array.isArray(value)) return value.map((v) => globaliseAuditJson(v, objectType));
  const out: Record<string, unknown> = {};
  for (const [k, v] of Object.entries(value as Record<string, unknown>)) {
    if (k in ID_KEYS) out[k] = globalise(ID_KEYS[k] || objectType, v);
    else if (PATH_KEYS.has(k) && typeof v === 'string') out[k] = v === '' ? [] : v.split('.').map((id) => toGlobalId('Unit', id));
    else out[k] = globaliseAuditJson(v, objectType);
  }
  return out;
}
