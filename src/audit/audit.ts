import type { EntityManager } from '@mikro-orm/postgresql';
import type { Context } from '../context';

export interface AuditRecord {
  action: string;
  objectType: string;
  objectId?: string | number | null;
  unitPath?: string | null;
  before?: unknown;
  after?: unknown;
}

/**
 * Writes audit entries with `em`, which must be the transaction of the change itself,
 * so the change and its entry land together or not at all.
 */
export async function audit(em: EntityManager, ctx: Pick<Context, 'principal' | 'requestId'> | null, records: AuditRecord[]): Promise<void> {
  if (records.length === 0) return;
  const values = records.map(() => '(?, ?, ?, ?, ?::ltree, ?::jsonb, ?::jsonb, ?)').join(', ');
  const bindings = records.flatMap((r) => [
    ctx?.principal?.id ?? null,
    r.action,
    r.objectType,
    r.objectId == null ? null : String(r.objectId),
    r.unitPath ?? null,
    r.before === undefined ? null : JSON.stringify(r.before),
    r.after === undefined ? null : JSON.stringify(r.after),
    ctx?.requestId ?? null,
  ]);
  await em.execute(
    `insert into audit_entry (principal_id, action, object_type, object_id, unit_path, before, after, request_id) values ${values}`,
    bindings,
  );
}
