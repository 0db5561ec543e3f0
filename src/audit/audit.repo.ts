import type { EntityManager } from '@mikro-orm/postgresql';
import type { SqlCondition } from '../auth/ability-to-sql';
import type { KeysetPage } from '../common/pagination';

export interface AuditRow {
  id: string;
  at: Date;
  principalId: number | null;
  action: string;
  objectType: string;
  objectId: string | null;
  unitPath: string | null;
  before: unknown;
  after: unknown;
  requestId: string | null;
}

export interface AuditFilter {
  unitPath?: string | null;
  action?: string | null;
  principalId?: number | null;
  from?: Date | null;
  to?: Date | null;
}

/** Columns of the AuditEntry rules over alias `a`. */
export const auditColumns = { path: 'a.unit_path' };

const COLUMNS = `a.id::text as id, a.at, a.principal_id as "principalId", a.action, a.object_type as "objectType", a.object_id as "objectId",
  a.unit_path::text as "unitPath", a.before, a.after, a.request_id as "requestId"`;

function filterSql(f: AuditFilter, scope: SqlCondition): { where: string; bindings: unknown[] } {
  const parts = [scope.sql];
  const bindings: unknown[] = [...scope.bindings];
  const add = (sql: string, v: unknown) => {
    parts.push(sql);
    bindings.push(v);
  };
  if (f.unitPath) add('a.unit_path <@ ?::ltree', f.unitPath);
  if (f.action) add('a.action = ?', f.action);
  if (f.principalId != null) add('a.principal_id = ?', f.principalId);
  if (f.from) add('a.at >= ?', f.from);
  if (f.to) add('a.at < ?', f.to);
  return { where: parts.join(' and '), bindings };
}

/** Newest first; the page starts strictly after (below) the id in the cursor, through the primary key. */
export async function listAudit(em: EntityManager, f: AuditFilter, page: KeysetPage<string>, scope: SqlCondition): Promise<AuditRow[]> {
  const { where, bindings } = filterSql(f, scope);
  const seek = page.after === null ? '' : ' and a.id < ?::bigint';
  return em.execute(`select ${COLUMNS} from audit_entry a where ${where}${seek} order by a.id desc limit ?`, [
    ...bindings, ...(page.after === null ? [] : [page.after]), page.limit + 1,
  ]);
}

export async function countAudit(em: EntityManager, f: AuditFilter, scope: SqlCondition): Promise<number> {
  const { where, bindings } = filterSql(f, scope);
  const [{ n }] = await em.execute<{ n: number }[]>(`select count(*)::int as n from audit_entry a where ${where}`, bindings);
  return n;
}

export async function auditById(em: EntityManager, id: number, scope: SqlCondition): Promise<AuditRow | null> {
  const [row] = await em.execute<AuditRow[]>(`select ${COLUMNS} from audit_entry a where a.id = ? and ${scope.sql}`, [id, ...scope.bindings]);
  return row ?? null;
}
