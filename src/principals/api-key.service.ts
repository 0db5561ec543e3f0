import { randomBytes } from 'node:crypto';
import type { Context } from '../context';
import { BadUserInputError, NotFoundError, ProblemList } from '../common/errors';
import { localIdOf } from '../common/global-id';
import { ensureCan, scope, unscoped } from '../common/scoped';
import { requiredText } from '../common/text';
import { writeTransaction } from '../common/transaction';
import { audit } from '../audit/audit';
import { API_KEY_PREFIX, sha256 } from '../auth/authenticate';
import * as repo from './principal.repo';
import * as write from './principal-write.repo';
import { ApiKeyNode } from './principal.types';
import { lockedTarget, principalSubject, visiblePrincipal } from './principal.service';
import type { CreateApiKeyInput, RevokeApiKeyInput } from './principal.inputs';

/** Creates `p06_<keyId>_<secret>`; only sha256(secret) is stored, the key is returned once. */
export async function createApiKey(ctx: Context, input: CreateApiKeyInput): Promise<{ apiKey: ApiKeyNode; key: string }> {
  const target = await visiblePrincipal(ctx, input.principalId, 'principalId');
  ensureCan(ctx, 'update', 'Principal', principalSubject(target), 'You may not create keys for this account.');
  const problems = new ProblemList();
  const name = requiredText(problems, ['input', 'name'], input.name, 100);
  if (input.expiresAt && input.expiresAt.getTime() <= Date.now()) problems.add(['input', 'expiresAt'], 'expiresAt must be in the future.');
  problems.throwIfAny();
  const keyId = randomBytes(8).toString('hex');
  const secret = randomBytes(32).toString('base64url');
  return writeTransaction(ctx, async (em) => {
    await lockedTarget(ctx, em, target.id, 'update', 'You may not create keys for this account.');
    const id = await write.insertApiKey(em, { principalId: target.id, keyId, secretHash: sha256(secret), name, expiresAt: input.expiresAt ?? null });
    const row = await repo.apiKeyById(em, id, unscoped('the key just created by an allowed write'));
    await audit(em, ctx, [{ action: 'api_key.create', objectType: 'ApiKey', objectId: id, unitPath: target.homePath, aboutPrincipal: target.id, after: { principalId: target.id, name, keyId, expiresAt: input.expiresAt ?? null } }]);
    return { apiKey: ApiKeyNode.from(row!), key: `${API_KEY_PREFIX}${keyId}_${secret}` };
  });
}

export async function revokeApiKey(ctx: Context, input: RevokeApiKeyInput): Promise<{ apiKey: ApiKeyNode }> {
  const id = localIdOf('ApiKey', input.apiKeyId);
  const key = id === null ? null : await repo.apiKeyById(ctx.em, id, scope(ctx, 'read', 'Principal', repo.principalColumns));
  if (!key) throw new NotFoundError('ApiKey', input.apiKeyId);
  const [owner] = await repo.principalsByIds(ctx.em, [key.principalId], scope(ctx, 'read', 'Principal', repo.principalColumns));
  ensureCan(ctx, 'update', 'Principal', principalSubject(owner), 'You may not revoke keys of this account.');
  if (key.revokedAt) throw new BadUserInputError('The key is already revoked.', [{ path: ['input', 'apiKeyId'], message: 'already revoked' }]);
  return writeTransaction(ctx, async (em) => {
    await lockedTarget(ctx, em, owner.id, 'update', 'You may not revoke keys of this account.');
    await write.revokeApiKeyRow(em, key.id);
    const after = await repo.apiKeyById(em, key.id, unscoped('the key just revoked by an allowed write'));
    await audit(em, ctx, [{ action: 'api_key.revoke', objectType: 'ApiKey', objectId: key.id, unitPath: owner.homePath, aboutPrincipal: owner.id, after: { principalId: owner.id, keyId: key.keyId } }]);
    return { apiKey: ApiKeyNode.from(after!) };
  });
}
