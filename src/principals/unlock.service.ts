import type { Context } from '../context';
import { BadUserInputError } from '../common/errors';
import { ensureCan } from '../common/scoped';
import { writeTransaction } from '../common/transaction';
import { audit } from '../audit/audit';
import { clearAccountLocks } from '../auth/login-throttle.repo';
import { principalSubject, reload, visiblePrincipal } from './principal.service';
import type { PrincipalIdInput, UnlockPrincipalPayload } from './principal.inputs';

/**
 * Lets a user sign in again from every address at once: clears the per-address locks and counts of its username
 * and its changeMyPassword count. Address-wide locks stay (they concern an address, not this account).
 */
export async function unlockPrincipal(ctx: Context, input: PrincipalIdInput): Promise<UnlockPrincipalPayload> {
  const target = await visiblePrincipal(ctx, input.principalId, 'principalId');
  ensureCan(ctx, 'update', 'Principal', principalSubject(target), 'You may not change this account.');
  if (!target.username) throw BadUserInputError.field(['input', 'principalId'], 'Service accounts do not sign in with a password; nothing to unlock.');
  return writeTransaction(ctx, async (em) => {
    const cleared = await clearAccountLocks(em, target.username!, target.id);
    // The count only: the keys hold client addresses.
    await audit(em, ctx, [{ action: 'principal.unlock', objectType: 'Principal', objectId: target.id, unitPath: target.homePath, after: { clearedLocks: cleared } }]);
    return { principal: await reload(em, target.id), clearedLocks: cleared };
  });
}
