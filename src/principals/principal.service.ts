import type { Context } from '../context';
import { BadUserInputError, ConflictError, ForbiddenError, NotFoundError, ProblemList } from '../common/errors';
import { localIdOf } from '../common/global-id';
import { ensureCan, requirePrincipal, scope, unscoped } from '../common/scoped';
import { toKeysetConnection, toKeysetPage } from '../common/pagination';
import { requiredText, cleanText } from '../common/text';
import type { EntityManager } from '@mikro-orm/postgresql';
import { lockedForUpdate, writeTransaction } from '../common/transaction';
import { lockUnitsUnchanged } from '../units/unit-write.repo';
import { audit } from '../audit/audit';
import { PERMISSIONS, type Subject } from '../auth/permissions';
import { checkNewPassword, hashPassword } from '../auth/passwords';
import { revokeSessionsOf, setPasswordHash } from '../auth/session.repo';
import { findUnitRow } from '../units/unit.service';
import type { UnitRow } from '../units/unit.repo';
import * as repo from './principal.repo';
import * as write from './principal-write.repo';
import { Me, PrincipalNode } from './principal.types';
import type { CreateServiceAccountInput, CreateUserInput, PrincipalIdInput, PrincipalsArgs, ResetPasswordInput } from './principal.inputs';

export const USERNAME_RE = /^[a-z0-9][a-z0-9._-]{2,63}$/;
export const USERNAME_RULE = 'username must be 3–64 letters, digits, ".", "_" or "-", starting with a letter or digit.';
export const EMAIL_RE = /^[^@\s]+@[^@\s]+\.[^@\s]+$/;
const readScope = (ctx: Context) => scope(ctx, 'read', 'Principal', repo.principalColumns);

/** The attributes the Principal rules look at (ability.ts). */
export const principalSubject = (p: { homePath: string | null; grantPaths: (string | null)[] }) => ({ homePath: p.homePath, grantPaths: p.grantPaths });

export async function findPrincipalRow(ctx: Context, id: number): Promise<repo.PrincipalRow | null> {
  const [row] = await repo.principalsByIds(ctx.em, [id], readScope(ctx));
  return row ?? null;
}

/** A principal named in an operation: invisible and nonexistent both answer NOT_FOUND. */
export async function visiblePrincipal(ctx: Context, globalId: string, field = 'id'): Promise<repo.PrincipalRow> {
  const id = localIdOf('Principal', globalId);
  const row = id === null ? null : await findPrincipalRow(ctx, id);
  if (!row) throw new NotFoundError(`Principal (${field})`, globalId);
  return row;
}

/** A unit named in an operation, through the caller's unit jurisdiction. */
export async function visibleUnit(ctx: Context, globalId: string, field: string): Promise<UnitRow> {
  const id = localIdOf('Unit', globalId);
  const row = id === null ? null : await findUnitRow(ctx, id);
  if (!row) throw new NotFoundError(`Unit (${field})`, globalId);
  return row;
}

/**
 * The account a write acts on, locked in the write's transaction and judged there on its current grants (every
 * change to a principal's grants locks its row first): a grant given elsewhere a moment ago counts. NOT_FOUND when
 * it took the account out of the caller's sight, FORBIDDEN when still visible but no longer within `action`.
 */
export async function lockedTarget(ctx: Context, em: EntityManager, id: number, action: 'update' | 'grant', message: string): Promise<repo.PrincipalRow> {
  const row = await lockedForUpdate(em, repo.PRINCIPAL_ROWS, id, readScope(ctx));
  ensureCan(ctx, action, 'Principal', principalSubject(row), message);
  return row;
}

export function refuseSelf(ctx: Context, target: { id: number }, what: string): void {
  if (requirePrincipal(ctx).id === target.id) throw new ForbiddenError(`You cannot ${what} your own account; ask another administrator.`);
}

/** A principal's row after the caller was allowed to act on it, or the caller's own. */
export async function reloadRow(em: Context['em'], id: number): Promise<repo.PrincipalRow | null> {
  const [row] = await repo.principalsByIds(em, [id], unscoped('reload after the caller was allowed to act on this principal, or the caller itself'));
  return row ?? null;
}

/** Reloads a principal after a change (the caller has just been allowed to act on it). */
export async function reload(em: Context['em'], id: number): Promise<PrincipalNode> {
  return PrincipalNode.from((await reloadRow(em, id))!);
}

export async function me(ctx: Context): Promise<Me> {
  const principal = requirePrincipal(ctx);
  const permissions = (Object.keys(PERMISSIONS) as Subject[]).flatMap((s) =>
    (PERMISSIONS[s] as readonly string[]).filter((a) => ctx.ability.can(a as never, s)).map((a) => `${a}:${s}`),
  );
  return { principal: await reload(ctx.em, principal.id), permissions, sessionId: principal.sessionId ?? null };
}

export async function getPrincipal(ctx: Context, globalId: string): Promise<PrincipalNode> {
  return PrincipalNode.from(await visiblePrincipal(ctx, globalId));
}

export async function listPrincipals(ctx: Context, args: PrincipalsArgs) {
  const page = toKeysetPage(args, 'principals', ([id]) => (/^\d{1,9}$/.test(id ?? '') ? Number(id) : null));
  if (args.search != null && args.search.length > 200) throw BadUserInputError.field(['search'], 'search must be at most 200 characters.');
  const unit = args.unitId ? await visibleUnit(ctx, args.unitId, 'unitId') : null;
  const filter: repo.PrincipalFilter = { search: args.search ? cleanText(args.search) : null, unitPath: unit?.path ?? null, role: args.role ?? null };
  const s = readScope(ctx);
  const rows = await repo.listPrincipals(ctx.em, filter, page, s);
  return toKeysetConnection(rows.map(PrincipalNode.from), page, 'principals', (p) => [p.dbId], () => repo.countPrincipals(ctx.em, filter, s));
}

export function optionalText(problems: ProblemList, path: string[], value: string | null | undefined, max: number): string | null {
  if (value == null) return null;
  const v = cleanText(value);
  if (v.length > max) problems.add(path, `${path[path.length - 1]} must be at most ${max} characters.`);
  return v || null;
}

export async function createUser(ctx: Context, input: CreateUserInput): Promise<PrincipalNode> {
  const home = await visibleUnit(ctx, input.homeUnitId, 'homeUnitId');
  ensureCan(ctx, 'create', 'Principal', { homePath: home.path, grantPaths: [] }, 'You may only create accounts at units inside your jurisdiction.');
  const problems = new ProblemList();
  const username = input.username.normalize('NFC').trim().toLowerCase();
  if (!USERNAME_RE.test(username)) problems.add(['input', 'username'], USERNAME_RULE);
  const displayName = requiredText(problems, ['input', 'displayName'], input.displayName);
  const email = optionalText(problems, ['input', 'email'], input.email, 200);
  if (email && !EMAIL_RE.test(email)) problems.add(['input', 'email'], 'email is not an e-mail address.');
  const phone = optionalText(problems, ['input', 'phone'], input.phone, 30);
  checkNewPassword(problems, ['input', 'password'], input.password);
  problems.throwIfAny();
  const passwordHash = await hashPassword(input.password);
  return writeTransaction(ctx, async (em) => {
    await lockUnitsUnchanged(em, [home]);
    if (await write.usernameTaken(em, username)) throw new ConflictError(`The username "${username}" is taken.`);
    const id = await write.insertPrincipal(em, { kind: 'USER', username, displayName, email, phone, passwordHash, homeUnitId: home.id });
    const created = await reload(em, id);
    await audit(em, ctx, [{ action: 'principal.create_user', objectType: 'Principal', objectId: id, unitPath: home.path, after: { username, displayName, email, phone, homeUnitId: home.id } }]);
    return created;
  });
}

export async function createServiceAccount(ctx: Context, input: CreateServiceAccountInput): Promise<PrincipalNode> {
  const home = await visibleUnit(ctx, input.homeUnitId, 'homeUnitId');
  ensureCan(ctx, 'create', 'Principal', { homePath: home.path, grantPaths: [] }, 'You may only create accounts at units inside your jurisdiction.');
  const problems = new ProblemList();
  const displayName = requiredText(problems, ['input', 'name'], input.name);
  const description = optionalText(problems, ['input', 'description'], input.description, 1000);
  problems.throwIfAny();
  return writeTransaction(ctx, async (em) => {
    await lockUnitsUnchanged(em, [home]);
    const id = await write.insertPrincipal(em, { kind: 'SERVICE_ACCOUNT', username: null, displayName, description, passwordHash: null, homeUnitId: home.id });
    const created = await reload(em, id);
    await audit(em, ctx, [{ action: 'principal.create_service_account', objectType: 'Principal', objectId: id, unitPath: home.path, after: { displayName, description, homeUnitId: home.id } }]);
    return created;
  });
}

export async function setPrincipalStatus(ctx: Context, input: PrincipalIdInput, status: 'ACTIVE' | 'DISABLED'): Promise<PrincipalNode> {
  const target = await visiblePrincipal(ctx, input.principalId, 'principalId');
  refuseSelf(ctx, target, status === 'DISABLED' ? 'disable' : 'enable');
  ensureCan(ctx, 'update', 'Principal', principalSubject(target), 'You may not change this account.');
  return writeTransaction(ctx, async (em) => {
    const locked = await lockedTarget(ctx, em, target.id, 'update', 'You may not change this account.');
    if (status === 'DISABLED') {
      await write.lockSystemAdmins(em);
      if (locked.grantPaths.length && (await isSystemAdmin(em, target.id)) && (await repo.otherActiveSystemAdmins(em, { principalId: target.id })) === 0) {
        throw new ConflictError('This is the last active SYSTEM_ADMIN; it cannot be disabled.');
      }
      await revokeSessionsOf(em, target.id);
    }
    await write.setStatus(em, target.id, status);
    await audit(em, ctx, [
      { action: status === 'DISABLED' ? 'principal.disable' : 'principal.enable', objectType: 'Principal', objectId: target.id, unitPath: locked.homePath, before: { status: locked.status }, after: { status } },
    ]);
    return reload(em, target.id);
  });
}

async function isSystemAdmin(em: Context['em'], principalId: number): Promise<boolean> {
  const grants = await repo.grantsOfPrincipals(em, [principalId]);
  return grants.some((g) => g.role === 'SYSTEM_ADMIN');
}

export async function resetPassword(ctx: Context, input: ResetPasswordInput): Promise<PrincipalNode> {
  const target = await visiblePrincipal(ctx, input.principalId, 'principalId');
  refuseSelf(ctx, target, 'reset the password of (use changeMyPassword)');
  ensureCan(ctx, 'update', 'Principal', principalSubject(target), 'You may not change this account.');
  if (target.kind !== 'USER') throw BadUserInputError.field(['input', 'principalId'], 'Service accounts have no password; create an API key instead.');
  const problems = new ProblemList();
  checkNewPassword(problems, ['input', 'newPassword'], input.newPassword);
  problems.throwIfAny();
  const hash = await hashPassword(input.newPassword);
  return writeTransaction(ctx, async (em) => {
    const locked = await lockedTarget(ctx, em, target.id, 'update', 'You may not change this account.');
    await setPasswordHash(em, target.id, hash);
    const revoked = await revokeSessionsOf(em, target.id);
    await audit(em, ctx, [{ action: 'principal.reset_password', objectType: 'Principal', objectId: target.id, unitPath: locked.homePath, after: { revokedSessions: revoked } }]);
    return reload(em, target.id);
  });
}
