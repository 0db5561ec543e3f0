/**
 * Operation names that may become Prometheus label values. Clients choose operation names freely, anonymous
 * callers included, so labelling by them would let anyone create unbounded series; everything not listed here
 * is counted as `other` (unnamed operations as `anonymous`). Frontend teams add the names of their documents
 * here (or, per deployment, in METRICS_OPERATION_NAMES).
 */
export const KNOWN_OPERATION_NAMES: readonly string[] = [
  // docs/API-GUIDE.md
  'Dashboard', 'Login', 'Refresh', 'Me',
  // screens the API guide describes
  'NationalDashboard', 'ProvinceDrillDown', 'CommunePage', 'HamletPage', 'UnitChildren', 'UnitProgress', 'CampaignRanking',
  'Teams', 'Team', 'Report', 'ImportProgress', 'AssignQuotas', 'AuditLog', 'Principals',
];

export const OTHER = 'other';
export const ANONYMOUS = 'anonymous';

export function operationLabeler(extra: readonly string[]): (name: string | null | undefined) => string {
  const known = new Set([...KNOWN_OPERATION_NAMES, ...extra]);
  return (name) => (name == null || name === '' ? ANONYMOUS : known.has(name) ? name : OTHER);
}
