import type { EntityManager } from '@mikro-orm/postgresql';
import type { Context } from '../context';
import { BadUserInputError, ProblemList } from '../common/errors';
import { allowed, requirePrincipal, scope, unscoped } from '../common/scoped';
import { NATIONAL_PATH } from '../common/paths';
import { writeTransaction } from '../common/transaction';
import { audit, type AuditRecord } from '../audit/audit';
import { checkNewPassword, hashPassword } from '../auth/passwords';
import { unitColumns } from '../units/unit.service';
import { parsePrincipalsCsv, type CsvPrincipal } from './principal-csv';
import { insertGrants, insertUsers, takenUsernames, unitsByCodesForImport, type ImportUnit } from './principal-admin.repo';
import { EMAIL_RE, USERNAME_RE, USERNAME_RULE } from './principal.service';
import { principalsByIds } from './principal.repo';
import { PrincipalNode } from './principal.types';
import type { ImportPrincipalsPayload } from './principal-admin.inputs';

const MAX_CSV_BYTES = 2 * 1024 * 1024;
/** scrypt is deliberately slow; a few at a time keeps the event loop's thread pool usable for others. */
const HASH_CONCURRENCY = 2;

interface Planned {
  rows: CsvPrincipal[];
  units: Map<string, ImportUnit>;
  grants: number;
}

/**
 * Checks every row against the database and the caller's powers; every problem is collected with its
 * row number. Run before hashing (to answer fast) and again inside the transaction with locks.
 */
async function plan(ctx: Context, em: EntityManager, rows: CsvPrincipal[], lock: boolean, problems = new ProblemList()): Promise<Planned> {
  const codes = [...new Set(rows.flatMap((r) => [r.homeUnitCode, ...r.grants.map((g) => g.unitCode)]).filter((c): c is string => !!c))];
  const units = new Map((await unitsByCodesForImport(em, codes, scope(ctx, 'read', 'Unit', unitColumns), lock)).map((u) => [u.code, u]));
  const taken = await takenUsernames(em, rows.map((r) => r.username));
  const firstRowOf = new Map<string, number>();
  let grants = 0;
  for (const r of rows) {
    const add = (message: string) => problems.add(['input', 'csv'], `Row ${r.row}: ${message}`, r.row);
    if (!USERNAME_RE.test(r.username)) add(USERNAME_RULE);
    else if (taken.has(r.username)) add(`the username "${r.username}" is taken.`);
    else if (firstRowOf.has(r.username)) add(`the username "${r.username}" is also on row ${firstRowOf.get(r.username)}.`);
    else firstRowOf.set(r.username, r.row);
    if (!r.displayName) add('display_name must not be empty.');
    else if (r.displayName.length > 200) add('display_name must be at most 200 characters.');
    if (r.email && (r.email.length > 200 || !EMAIL_RE.test(r.email))) add('email is not an e-mail address.');
    if (r.phone && r.phone.length > 30) add('phone must be at most 30 characters.');
    const pw = new ProblemList();
    checkNewPassword(pw, ['input', 'csv'], r.password);
    for (const p of pw.items) add(p.message);
    const home = units.get(r.homeUnitCode);
    // Units outside the caller's jurisdiction are not found, exactly like unknown codes (no existence leak).
    if (!home) add(`home unit ${r.homeUnitCode || '(empty)'} was not found in your jurisdiction.`);
    else if (!allowed(ctx, 'create', 'Principal', { homePath: home.path, grantPaths: [] })) add(`you may not create accounts at ${r.homeUnitCode}.`);
    for (const g of r.grants) {
      const unit = g.unitCode ? units.get(g.unitCode) : null;
      if (g.unitCode && !unit) add(`grant ${g.role}@${g.unitCode}: unit not found in your jurisdiction.`);
      else if (!allowed(ctx, 'create', 'Grant', { role: g.role, path: unit?.path ?? NATIONAL_PATH })) add(`you may not grant ${g.role}${g.unitCode ? `@${g.unitCode}` : ''}: only roles below your own, inside your jurisdiction.`);
      else grants++;
    }
  }
  problems.items.sort((a, b) => (a.row ?? 0) - (b.row ?? 0));
  problems.throwIfAny('Some rows cannot be imported; nothing was imported.');
  return { rows, units, grants };
}

async function hashAll(passwords: string[]): Promise<string[]> {
  const out: string[] = new Array(passwords.length);
  let next = 0;
  const worker = async () => {
    while (next < passwords.length) {
      const i = next++;
      out[i] = await hashPassword(passwords[i]);
    }
  };
  await Promise.all(Array.from({ length: HASH_CONCURRENCY }, worker));
  return out;
}

/** Onboards many accounts with their grants: all rows or none, every bad row reported. */
export async function importPrincipalsCsv(ctx: Context, csv: string, dryRun: boolean): Promise<ImportPrincipalsPayload> {
  const actor = requirePrincipal(ctx);
  if (Buffer.byteLength(csv) > MAX_CSV_BYTES) throw BadUserInputError.field(['input', 'csv'], `The CSV must be at most ${MAX_CSV_BYTES} bytes.`);
  const problems = new ProblemList();
  const rows = parsePrincipalsCsv(csv, problems);
  if (rows.length === 0) problems.throwIfAny('The CSV cannot be read; nothing was imported.');
  // Rows the parser could read are checked against the database too, so one answer lists every problem.
  const checked = await plan(ctx, ctx.em, rows, false, problems);
  if (dryRun) return { created: rows.length, grantsCreated: checked.grants, dryRun: true, principals: [] };
  const hashes = await hashAll(rows.map((r) => r.password));
  return writeTransaction(ctx, async (em) => {
    const { units } = await plan(ctx, em, rows, true);
    const ids = await insertUsers(em, rows.map((r, i) => ({
      username: r.username, displayName: r.displayName, email: r.email, phone: r.phone, passwordHash: hashes[i], homeUnitId: units.get(r.homeUnitCode)!.id,
    })));
    const grants = rows.flatMap((r, i) => r.grants.map((g) => ({ principalId: ids[i], role: g.role, unitId: g.unitCode ? units.get(g.unitCode)!.id : null, unitPath: g.unitCode ? units.get(g.unitCode)!.path : null })));
    const grantIds = await insertGrants(em, grants, actor.id);
    const records: AuditRecord[] = rows.map((r, i) => {
      const home = units.get(r.homeUnitCode)!;
      return { action: 'principal.create_user', objectType: 'Principal', objectId: ids[i], unitPath: home.path, aboutPrincipal: ids[i], after: { username: r.username, displayName: r.displayName, email: r.email, phone: r.phone, homeUnitId: home.id, importRow: r.row } };
    });
    grants.forEach((g, i) => records.push({ action: 'grant.create', objectType: 'Grant', objectId: grantIds[i], unitPath: g.unitPath, aboutPrincipal: g.principalId, after: { principalId: g.principalId, role: g.role, unitId: g.unitId, teamId: null } }));
    await audit(em, ctx, records);
    const byId = new Map((await principalsByIds(em, ids, unscoped('reload of the accounts the caller just created'))).map((p) => [p.id, PrincipalNode.from(p)]));
    const principals = ids.map((id) => byId.get(id)!);
    return { created: ids.length, grantsCreated: grantIds.length, dryRun: false, principals };
  });
}
