import type { CurrentPrincipal } from '../auth/authenticate';
import { todayInVietnam } from '../common/scalars';
import { jurisdictionKey } from './jurisdiction-key';

/**
 * The key of a shared answer: the document's text, the operation, the variables, the caller's grants and
 * today's date (the default `asOf`); never the principal. The same text and variables give the same key on
 * the pre-Apollo path (cached-answer.ts) and in the plugin that stores answers.
 */
export function responseCacheKey(query: string, operationName: string | null | undefined, variables: unknown, principal: CurrentPrincipal): string {
  return `${query}\u0000${operationName ?? ''}\u0000${JSON.stringify(variables ?? {})}\u0000${jurisdictionKey(principal)}\u0000${todayInVietnam()}`;
}
