import { NATIONAL_PATH } from '../common/paths';
import { AbilityBuilder, createMongoAbility, type ForcedSubject, type MongoAbility, type MongoQuery } from '@casl/ability';
import { Role } from './roles';
import type { Action, Subject } from './permissions';
import { pathConditionsMatcher } from './path-operators';

/** One grant as the ability needs it: the role and the materialised path of its unit (null: national SYSTEM_ADMIN). */
export interface GrantScope {
  role: Role;
  unitPath: string | null;
  teamId?: number | null;
  /** For TEAM_LEADER grants: paths of the hamlets its (active) team is assigned to, loaded with the grants. */
  hamletPaths?: readonly string[];
}

export type AppAbility = MongoAbility<[Action, Subject | (ForcedSubject<Subject> & Record<string, unknown>)], MongoQuery>;
type Builder = AbilityBuilder<AppAbility>;

// Our path operators (path-operators.ts) are not in CASL's MongoQuery type; these build them typed once.
const cond = (c: Record<string, unknown>): never => c as never;
const under = (path: string): never => cond({ path: { $under: path } });
const below = (path: string): never => cond({ path: { $below: path } });
const over = (path: string): never => cond({ path: { $over: path } });

/** Roles an ADMIN may give anywhere in its subtree; ADMIN itself only strictly below. */
export const ROLES_ADMIN_GRANTS_UNDER = [Role.VIEWER, Role.OFFICER, Role.TEAM_LEADER];

/*
 * Every rule of the product lives in this file. Objects are checked by the `path` of the unit they
 * concern (a unit's own path, a campaign's scope unit, a quota's unit, a team's unit...), so the
 * same rules run in memory (CASL) and in SQL (ability-to-sql.ts).
 *
 * Principals are checked by `homePath` (the path of their home unit) and `grantPaths` (the paths of
 * all their grants, null for a national one): an ADMIN manages a principal only when both lie in its
 * subtree, so nobody can edit (or even see) an account that holds power outside their reach.
 * Grants are checked by `role` and `path` (of the unit granted at).
 * Teams are checked by `path` (their unit's) and `id`; team members by `path` (their team's unit) and `teamId`.
 */

function defineViewerRules({ can }: Builder, path: string): void {
  can('read', ['Unit', 'Quota', 'Progress', 'Team'], under(path));
  // A campaign is visible to everyone inside its scope and to leaders above it.
  can('read', 'Campaign', under(path));
  can('read', 'Campaign', over(path));
}

function defineOfficerRules(b: Builder, path: string): void {
  defineViewerRules(b, path);
  b.can('report', 'Progress', under(path));
  b.can('manage', 'Team', under(path));
  // Members' phone numbers are personal data: OFFICER and above in scope, and the team's own leader.
  b.can(['readContact', 'edit'], 'TeamMember', under(path));
}

function defineAdminRules(b: Builder, path: string): void {
  defineOfficerRules(b, path);
  b.can(['create', 'update', 'move', 'retire', 'import'], 'Unit', below(path));
  b.can(['create', 'update'], 'Campaign', under(path));
  b.can('assign', 'Quota', below(path));
  b.can(['read', 'create', 'update', 'grant'], 'Principal', cond({ homePath: { $under: path }, grantPaths: { $allUnder: path } }));
  b.can(['create', 'delete'], 'Grant', cond({ role: { $in: ROLES_ADMIN_GRANTS_UNDER }, path: { $under: path } }));
  b.can(['create', 'delete'], 'Grant', cond({ role: Role.ADMIN, path: { $below: path } }));
  b.can('read', 'AuditEntry', under(path));
}

/**
 * A team leader works on its team's assigned hamlets only (those inside the unit of its grant): it reads
 * exactly those units and their progress, reports progress for them, reads the campaigns covering them,
 * reads its team (members with phones, assignments) and edits its members. The rules for units are
 * always present (possibly over no hamlet at all), so the coarse gate stays the same while lists come back empty.
 */
function defineTeamLeaderRules({ can }: Builder, g: GrantScope): void {
  const hamletPaths = [...(g.hamletPaths ?? [])];
  can('read', ['Unit', 'Progress'], cond({ path: { $in: hamletPaths } }));
  can('report', 'Progress', cond({ path: { $in: hamletPaths } }));
  can('read', 'Campaign', cond({ path: { $in: [] } })); // the gate does not depend on having assignments yet
  for (const p of hamletPaths) can('read', 'Campaign', over(p));
  if (g.teamId != null) {
    can('read', 'Team', cond({ id: g.teamId }));
    can(['readContact', 'edit'], 'TeamMember', cond({ teamId: g.teamId }));
  }
}

export function defineAbility(grants: readonly GrantScope[]): AppAbility {
  const b = new AbilityBuilder<AppAbility>(createMongoAbility);
  if (grants.length > 0) b.can('read', 'Metric');
  for (const g of grants) {
    // A grant without a unit is national: SYSTEM_ADMIN, or a national VIEWER (leadership dashboards).
    if (g.unitPath === null && g.role !== Role.SYSTEM_ADMIN && g.role !== Role.VIEWER) continue;
    const path = g.unitPath ?? NATIONAL_PATH;
    switch (g.role) {
      case Role.SYSTEM_ADMIN:
        b.can(['read', 'create', 'update', 'move', 'retire', 'import'], 'Unit');
        b.can(['read', 'create', 'update', 'grant'], 'Principal');
        b.can(['create', 'delete'], 'Grant');
        b.can(['read', 'create', 'update'], 'Metric');
        b.can(['read', 'create', 'update'], 'Campaign');
        b.can(['read', 'assign'], 'Quota');
        b.can(['read', 'report'], 'Progress');
        b.can(['read', 'manage'], 'Team');
        b.can(['readContact', 'edit'], 'TeamMember');
        b.can('read', 'AuditEntry');
        break;
      case Role.ADMIN:
        defineAdminRules(b, path);
        break;
      case Role.OFFICER:
        defineOfficerRules(b, path);
        break;
      case Role.TEAM_LEADER:
        defineTeamLeaderRules(b, g);
        break;
      case Role.VIEWER:
        defineViewerRules(b, path);
        break;
    }
  }
  return b.build({ conditionsMatcher: pathConditionsMatcher });
}

/** Abilities by grants (ability.ts reads nothing else of a principal), oldest first; bounded. */
const sharedAbilities = new Map<string, AppAbility>();
const MAX_SHARED_ABILITIES = 1_000;

/**
 * defineAbility for a request's grants. An ability is never changed once built (nothing calls update()), so every
 * request with the same grants, in the same order, shares one, with its rule index and SQL translations
 * (ability-to-sql.ts) built once.
 */
export function abilityFor(grants: readonly GrantScope[]): AppAbility {
  // Roles are words, unit paths and hamlet paths ltree labels, team ids numbers: none holds the separators.
  let key = '';
  for (const g of grants) key += `${g.role}\u0000${g.unitPath ?? '\u0001'}\u0000${g.teamId ?? '\u0001'}\u0000${g.hamletPaths?.join(',') ?? '\u0001'}\u0002`;
  let ability = sharedAbilities.get(key);
  if (!ability) {
    ability = defineAbility(grants);
    if (sharedAbilities.size >= MAX_SHARED_ABILITIES) sharedAbilities.delete(sharedAbilities.keys().next().value!);
    sharedAbilities.set(key, ability);
  }
  return ability;
}
