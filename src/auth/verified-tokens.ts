import { LRUCache } from 'lru-cache';
import type { Config } from '../config';
import type { KeySet } from './keys';
import { verifyAccessToken, type AccessClaims } from './tokens';

interface Verified {
  claims: AccessClaims;
  expiresAtMs: number;
}

const caches = new WeakMap<KeySet, LRUCache<string, Verified>>();

/**
 * verifyAccessToken, remembered per key set: an ES256 signature check costs more CPU than the rest of a cached
 * dashboard request, and a token's verdict cannot change before it expires (revoked sessions and grants are
 * checked in the database on every request, not here). Only successes are kept, and never past their expiry.
 */
export async function verifyAccessTokenOnce(keys: KeySet, config: Config, token: string, onExpired?: () => void): Promise<AccessClaims | null> {
  let cache = caches.get(keys);
  if (!cache) caches.set(keys, (cache = new LRUCache<string, Verified>({ max: 20_000 })));
  const known = cache.get(token);
  if (known && known.expiresAtMs > Date.now()) return known.claims;
  const claims = await verifyAccessToken(keys, config, token, onExpired);
  if (claims?.expiresAt) cache.set(token, { claims, expiresAtMs: claims.expiresAt * 1000 });
  return claims;
}
