import type { CurrentPrincipal } from '../auth/authenticate';

/**
 * What decides what a principal may see: its grants (role, unit path, team, a team leader's hamlets), never
 * who it is. Two principals with the same grants share cached answers; grants that differ by one unit do not.
 */
export function jurisdictionKey(p: CurrentPrincipal): string {
  return p.grants
    .map((g) => `${g.role}@${g.unitPath ?? '*'}#${g.teamId ?? ''}[${g.hamletPaths ? [...g.hamletPaths].sort().join(',') : ''}]`)
    .sort()
    .join(';');
}
