import type { EntityManager } from '@mikro-orm/postgresql';
import type { Context } from '../context';

export interface AuditRecord {
  action: string;
  objectType: string;
  objectId?: string | number | null;
  unitPath?: string | null;
  /** The principal the entry is about, when it is not the object itself (a grant's or a key's holder). */
  aboutPrincipal?: number | null;
  before?: unknown;
  after?: unknown;
}

/** The principal an entry is about: named, or the object itself when it is a principal. */
function subjectOf(r: AuditRecord): number | null {
  if (r.aboutPrincipal != null) return r.aboutPrincipal;
  return r.objectType === 'Principal' && r.objectId != null ? Number(r.objectId) : null;
}

/**
 * Writes audit entries with `em`, which must be the transaction of the change itself,
 * so the change and its entry land together or not at all. Session ids are never written
 * (a session id and a wrong secret used to be enough to end a session).
 */
export async function audit(em: EntityManager, ctx: Pick<Context, 'principal' | 'requestId'> | null, records: AuditRecord[]): Promise<void> {
  if (records.length === 0) return;
  const values = records.map(() => '(?, ?, ?, ?, ?, ?::ltree, ?::jsonb, ?::jsonb, ?)').join(', ');
  const bindings = records.flatMap((r) => [
    ctx?.principal?.id ?? null,
    subjectOf(r),
    r.action,
    r.objectType,
    r.objectId == null ? null : String(r.objectId),
    r.unitPath ?? null,
    r.before === undefined ? null : JSON.stringify(withoutSessionIds(r.before)),
    r.after === undefined ? null : JSON.stringify(withoutSessionIds(r.after)),
    ctx?.requestId ?? null,
  ]);
  await em.execute(
    `insert into audit_entry (principal_id, subject_principal_id, action, object_type, object_id, unit_path, before, after, request_id) values ${values}`,
    bindings,
  );
}

function withoutSessionIds(v: unknown): unknown {
  if (!v || typeof v !== 'object' || Array.isArray(v)) return v;
  const { sessionId: _drop, ...rest } = v as Record<string, unknown>;
  return rest;
}
