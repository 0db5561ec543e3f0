import { randomBytes, randomUUID, timingSafeEqual } from 'node:crypto';
import type { EntityManager } from '@mikro-orm/postgresql';
import type { Context } from '../context';
import { BadUserInputError, ProblemList, RateLimitedError, UnauthenticatedError } from '../common/errors';
import { writeTransaction } from '../common/transaction';
import { audit } from '../audit/audit';
import { requirePrincipal, unscoped } from '../common/scoped';
import { sha256, type CurrentPrincipal } from './authenticate';
import { checkNewPassword, dummyHash, hashPassword, verifyPassword } from './passwords';
import { signAccessToken } from './tokens';
import * as throttle from './login-throttle.repo';
import * as sessions from './session.repo';
import { principalsByIds } from '../principals/principal.repo';
import { PrincipalNode } from '../principals/principal.types';
import type { ChangeMyPasswordInput, LoginInput, RefreshSessionInput, SessionPayload } from './session.inputs';

const BAD_CREDENTIALS = 'The username or password is wrong.';
const BAD_REFRESH = 'The refresh token is invalid, used or expired; sign in again.';
const REFRESH_RE = /^([0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12})\.([A-Za-z0-9_-]{43})$/;

export const normalizeUsername = (u: string): string => u.normalize('NFC').trim().toLowerCase();

/** Audit context for acts of a principal that is not (yet) the request's principal, e.g. at sign-in. */
const actingAs = (ctx: Context, id: number) => ({ requestId: ctx.requestId, principal: { id } as CurrentPrincipal });

async function issueTokens(em: EntityManager, ctx: Context, principalId: number, sessionId: string): Promise<SessionPayload> {
  const refreshToken = `${sessionId}.${randomBytes(32).toString('base64url')}`;
  const accessToken = await signAccessToken(ctx.keys, ctx.config, { principalId, sessionId });
  const [row] = await principalsByIds(em, [principalId], unscoped('the principal signing in, in its own session payload'));
  return {
    accessToken,
    refreshToken,
    expiresAt: new Date(Date.now() + ctx.config.jwt.accessTtlSeconds * 1000),
    principal: PrincipalNode.from(row),
  };
}

/** Refuses locked keys and slows repeated failures; all state is in PostgreSQL (login-throttle.repo.ts). */
async function throttleGate(ctx: Context, keys: string[]): Promise<void> {
  const states = await throttle.throttleStates(ctx.em, keys);
  const locked = Math.max(0, ...states.map((s) => s.lockedFor));
  if (locked > 0) throw new RateLimitedError(locked);
  const over = Math.max(0, ...states.map((s) => s.failures - throttle.limitsOf(s.key).delayAfter + 1));
  if (over > 0) await new Promise((r) => setTimeout(r, Math.min(over, 5) * ctx.config.loginFailureDelayMs));
}

export async function login(ctx: Context, input: LoginInput): Promise<SessionPayload> {
  const username = normalizeUsername(input.username);
  const pair = throttle.pairKey(username, ctx.ip);
  const keys = [pair, throttle.ipKey(ctx.ip), throttle.userKey(username)];
  await throttleGate(ctx, keys);
  const row = username ? await sessions.loginPrincipal(ctx.em, username) : null;
  // Unknown users and users without a password are checked against a dummy hash: same answer, similar time.
  const valid = await verifyPassword(input.password, row?.passwordHash ?? (await dummyHash()));
  if (!row || !valid || !row.passwordHash || row.status !== 'ACTIVE') {
    await writeTransaction(ctx, async (em) => {
      await throttle.recordFailure(em, keys);
      if (row) await audit(em, ctx, [{ action: 'auth.login_failed', objectType: 'Principal', objectId: row.id, unitPath: row.homePath, after: { ip: ctx.ip } }]);
    });
    throw new UnauthenticatedError(BAD_CREDENTIALS, 'BAD_CREDENTIALS');
  }
  return writeTransaction(ctx, async (em) => {
    await throttle.clearFailures(em, pair);
    const sessionId = randomUUID();
    const payload = await issueTokens(em, ctx, row.id, sessionId);
    await sessions.insertSession(em, { id: sessionId, principalId: row.id, tokenHash: sha256(payload.refreshToken), ttlSeconds: ctx.config.jwt.refreshTtlSeconds });
    await audit(em, actingAs(ctx, row.id), [{ action: 'auth.login', objectType: 'Principal', objectId: row.id, unitPath: row.homePath, after: { ip: ctx.ip } }]);
    return payload;
  });
}

const sameHash = (a: string, b: string): boolean => a.length === b.length && timingSafeEqual(Buffer.from(a), Buffer.from(b));

/**
 * Rotates the refresh token within its session. A token this session rotated away from (its hash is kept)
 * is a used, possibly stolen, one: the whole session is revoked. Any other wrong secret is only refused,
 * so knowing a session id (the `sid` of every access token) is not enough to end someone's session.
 */
export async function refreshSession(ctx: Context, input: RefreshSessionInput): Promise<SessionPayload> {
  const m = REFRESH_RE.exec(input.refreshToken.trim());
  if (!m) throw new UnauthenticatedError(BAD_REFRESH, 'BAD_REFRESH_TOKEN');
  const token = m[0];
  const outcome = await writeTransaction(ctx, async (em) => {
    const s = await sessions.lockSession(em, m[1]);
    if (!s || !s.live || !s.principalActive) return null;
    const hash = sha256(token);
    if (!sameHash(s.tokenHash, hash)) {
      if (!(await sessions.wasRotatedAway(em, s.id, hash))) return null;
      await sessions.revokeSession(em, s.id);
      await audit(em, actingAs(ctx, s.principalId), [
        { action: 'auth.refresh_reuse_detected', objectType: 'Principal', objectId: s.principalId, unitPath: s.homePath, after: { ip: ctx.ip } },
      ]);
      return null;
    }
    const payload = await issueTokens(em, ctx, s.principalId, s.id);
    await sessions.rotateSession(em, s.id, s.tokenHash, sha256(payload.refreshToken));
    await audit(em, actingAs(ctx, s.principalId), [{ action: 'auth.refresh', objectType: 'Principal', objectId: s.principalId, unitPath: s.homePath }]);
    return payload;
  });
  if (!outcome) throw new UnauthenticatedError(BAD_REFRESH, 'BAD_REFRESH_TOKEN');
  return outcome;
}

export async function logout(ctx: Context): Promise<{ revokedSessions: number }> {
  const me = requirePrincipal(ctx);
  if (!me.sessionId) throw new BadUserInputError('You are signed in with an API key, which has no session; revoke the key instead.');
  return writeTransaction(ctx, async (em) => {
    const n = await sessions.revokeSession(em, me.sessionId!);
    await audit(em, ctx, [{ action: 'auth.logout', objectType: 'Principal', objectId: me.id, unitPath: me.homePath }]);
    return { revokedSessions: n };
  });
}

export async function logoutEverywhere(ctx: Context): Promise<{ revokedSessions: number }> {
  const me = requirePrincipal(ctx);
  return writeTransaction(ctx, async (em) => {
    const n = await sessions.revokeSessionsOf(em, me.id);
    await audit(em, ctx, [{ action: 'auth.logout_everywhere', objectType: 'Principal', objectId: me.id, unitPath: me.homePath, after: { revokedSessions: n } }]);
    return { revokedSessions: n };
  });
}

export async function changeMyPassword(ctx: Context, input: ChangeMyPasswordInput): Promise<{ revokedSessions: number }> {
  const me = requirePrincipal(ctx);
  const current = await sessions.passwordHashOf(ctx.em, me.id);
  if (!current) throw new BadUserInputError('This account signs in without a password (a service account).');
  const key = throttle.passwordKey(me.id);
  await throttleGate(ctx, [key]);
  if (!(await verifyPassword(input.currentPassword, current))) {
    await throttle.recordFailure(ctx.em, [key]);
    throw BadUserInputError.field(['input', 'currentPassword'], 'The current password is wrong.');
  }
  const problems = new ProblemList();
  checkNewPassword(problems, ['input', 'newPassword'], input.newPassword);
  if (input.newPassword === input.currentPassword) problems.add(['input', 'newPassword'], 'The new password must differ from the current one.');
  problems.throwIfAny();
  const hash = await hashPassword(input.newPassword);
  return writeTransaction(ctx, async (em) => {
    await throttle.clearFailures(em, key);
    await sessions.setPasswordHash(em, me.id, hash);
    const n = await sessions.revokeSessionsOf(em, me.id, me.sessionId);
    await audit(em, ctx, [{ action: 'principal.change_password', objectType: 'Principal', objectId: me.id, unitPath: me.homePath, after: { revokedSessions: n } }]);
    return { revokedSessions: n };
  });
}
