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

export const ALL_PERMISSIONS: Permission[] = (Object.keys(PERMISSIONS) as Subject[]).flatMap((s) =>
  (PERMISSIONS[s] as readonly string[]).map((a) => `${a}:${s}` as Permission),
);
