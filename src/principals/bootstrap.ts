import type { EntityManager } from '@mikro-orm/postgresql';
import { hashPassword, checkNewPassword } from '../auth/passwords';
import { ProblemList } from '../common/errors';
import { audit } from '../audit/audit';
import { insertGrant, insertPrincipal, usernameTaken } from './principal-write.repo';

/**
 * Creates a user holding a national SYSTEM_ADMIN grant (no unit: SYSTEM_ADMIN covers the whole
 * country, and a fresh database may not have any unit yet). Used by `npm run user:create-admin`.
 * Runs in the caller's transaction; audited as a system job (no principal).
 */
export async function createSystemAdmin(em: EntityManager, username: string, password: string, displayName?: string): Promise<number> {
  const name = username.normalize('NFC').trim().toLowerCase();
  const problems = new ProblemList();
  if (!/^[a-z0-9][a-z0-9._-]{2,63}$/.test(name)) problems.add(['username'], 'username must be 3–64 letters, digits, ".", "_" or "-".');
  checkNewPassword(problems, ['password'], password);
  problems.throwIfAny();
  if (await usernameTaken(em, name)) throw new Error(`The username "${name}" is taken.`);
  const id = await insertPrincipal(em, { kind: 'USER', username: name, displayName: displayName ?? name, passwordHash: await hashPassword(password), homeUnitId: null });
  await insertGrant(em, { principalId: id, role: 'SYSTEM_ADMIN', unitId: null, teamId: null, grantedById: null });
  await audit(em, null, [{ action: 'principal.create_system_admin', objectType: 'Principal', objectId: id, unitPath: null, after: { username: name } }]);
  return id;
}
