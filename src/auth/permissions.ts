/**
 * The permission vocabulary, defined once: each subject with the actions that exist on it.
 * `@Authorized(can('read', 'Unit'))` on an operation declares what it needs; ability.ts grants them.
 */
export const PERMISSIONS = {
  Unit: ['read', 'create', 'update', 'move', 'retire', 'import'],
  Principal: ['read', 'create', 'update', 'grant'],
  /** Which roles may be given (create) or taken away (delete) at which units: checked per grant. */
  Grant: ['create', 'delete'],
  AuditEntry: ['read'],
  Campaign: ['read', 'create', 'update'],
  Quota: ['read', 'assign'],
  Metric: ['read', 'create', 'update'],
  Progress: ['read', 'report'],
  Team: ['read', 'manage'],
  /** readContact: see members' phone numbers (personal data); edit: add, change, remove members. */
  TeamMember: ['readContact', 'edit'],
} as const;

export type Subject = keyof typeof PERMISSIONS;
export type Action = (typeof PERMISSIONS)[Subject][number];
export type ActionOn<S extends Subject> = (typeof PERMISSIONS)[S][number];
export type Permission = { [S in Subject]: `${ActionOn<S>}:${S}` }[Subject];

export function can<S extends Subject>(action: ActionOn<S>, subject: S): Permission {
  return `${action}:${subject}` as Permission;
}

/**
 * The declaration of an operation on an object it names by id (`unit(id)`, `updateTeam(input: { id })`,
 * `createUnit(input: { parentId })`…). The coarse gate does not answer for these: what the caller may not see is
 * NOT_FOUND whatever its role, so the service decides, in this order, with the scoped lookup (invisible or
 * nonexistent → NOT_FOUND) and then `ensureCan(action)` on the object found (visible but not allowed → FORBIDDEN).
 * Refusing before the lookup would tell the caller that the object exists (the cause of FORBIDDEN for
 * `principal(id)` as VIEWER, or for a TEAM_LEADER naming another team).
 */
export type ObjectPermission = `${Permission}@object`;

export function canOnObject<S extends Subject>(action: ActionOn<S>, subject: S): ObjectPermission {
  return `${action}:${subject}@object` as ObjectPermission;
}

export const ALL_PERMISSIONS: Permission[] = (Object.keys(PERMISSIONS) as Subject[]).flatMap((s) =>
  (PERMISSIONS[s] as readonly string[]).map((a) => `${a}:${s}` as Permission),
);
