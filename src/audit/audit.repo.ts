import type { EntityManager } from '@mikro-orm/postgresql';
import type { Scope } from '../common/scoped';
import type { KeysetPage } from '../common/pagination';
import { principalColumns } from '../principals/principal.repo';

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
  /** The principal the entry is about, with what the Principal rules look at (null when about none). */
  subjectPrincipalId: number | null;
  subjectHomePath: string | null;
  subjectGrantPaths: (string | null)[] | null;
}

/**
 * What the caller may read: `entries` (AuditEntry rules over the entry's unit, columns `auditColumns`) and
 * `principals` (Principal read rules, columns `principalColumns` over p/hu): an entry about a principal is
 * visible only with both.
 */
export interface AuditScope {
  entries: Scope;
  principals: Scope;
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
  a.unit_path::text as "unitPath", a.before, a.after, a.request_id as "requestId", a.subject_principal_id as "subjectPrincipalId",
  sp."homePath" as "subjectHomePath", sp."grantPaths" as "subjectGrantPaths"`;
const SUBJECT = `left join lateral (
    select hu.path::text as "homePath", ${principalColumns.grantPaths}::text[] as "grantPaths"
      from principal p left join admin_unit hu on hu.id = p.home_unit_id where p.id = a.subject_principal_id) sp on a.subject_principal_id is not null`;

/** The entry's unit in the caller's audit jurisdiction, and the principal it is about (if any) readable by the caller. */
function visibleSql(scope: AuditScope): { sql: string; bindings: unknown[] } {
  return {
    sql: `${scope.entries.sql} and (a.subject_principal_id is null or exists (
      select 1 from principal p left join admin_unit hu on hu.id = p.home_unit_id where p.id = a.subject_principal_id and ${scope.principals.sql}))`,
    bindings: [...scope.entries.bindings, ...scope.principals.bindings],
  };
}

function filterSql(f: AuditFilter, scope: AuditScope): { where: string; bindings: unknown[] } {
  const visible = visibleSql(scope);
  const parts = [visible.sql];
  const bindings: unknown[] = [...visible.bindings];
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
export async function listAudit(em: EntityManager, f: AuditFilter, page: KeysetPage<string>, scope: AuditScope): Promise<AuditRow[]> {
  const { where, bindings } = filterSql(f, scope);
  const seek = page.after === null ? '' : ' and a.id < ?::bigint';
  return em.execute(`select ${COLUMNS} from audit_entry a ${SUBJECT} where ${where}${seek} order by a.id desc limit ?`, [
    ...bindings, ...(page.after === null ? [] : [page.after]), page.limit + 1,
  ]);
}

export async function countAudit(em: EntityManager, f: AuditFilter, scope: AuditScope): Promise<number> {
  const { where, bindings } = filterSql(f, scope);
  const [{ n }] = await em.execute<{ n: number }[]>(`select count(*)::int as n from audit_entry a where ${where}`, bindings);
  return n;
}

export async function auditById(em: EntityManager, id: number, scope: AuditScope): Promise<AuditRow | null> {
  const visible = visibleSql(scope);
  const [row] = await em.execute<AuditRow[]>(`select ${COLUMNS} from audit_entry a ${SUBJECT} where a.id = ? and ${visible.sql}`, [id, ...visible.bindings]);
  return row ?? null;
}
