import { SignJWT, jwtVerify, decodeProtectedHeader } from 'jose';
import type { Config } from '../config';
import { ALG, type KeySet } from './keys';

export interface AccessClaims {
  principalId: number;
  sessionId: string;
  /** Expiry (seconds since the epoch), when the claims come from a verified token. */
  expiresAt?: number;
}

export async function signAccessToken(keys: KeySet, config: Config, claims: AccessClaims): Promise<string> {
  return new SignJWT({ sid: claims.sessionId })
    .setProtectedHeader({ alg: ALG, kid: keys.kid, typ: 'JWT' })
    .setIssuer(config.jwt.issuer)
    .setAudience(config.jwt.audience)
    .setSubject(String(claims.principalId))
    .setIssuedAt()
    .setExpirationTime(`${config.jwt.accessTtlSeconds}s`)
    .sign(keys.signingKey);
}

/**
 * Verifies signature (by kid), algorithm, issuer, audience and expiry; null for anything wrong.
 * `onExpired` is told when the only fault was the expiry (jose checks the signature before the claims,
 * so a forged token never reaches it).
 */
export async function verifyAccessToken(keys: KeySet, config: Config, token: string, onExpired?: () => void): Promise<AccessClaims | null> {
  try {
    const { kid, alg } = decodeProtectedHeader(token);
    if (alg !== ALG || !kid) return null;
    const key = keys.verificationKeys.get(kid);
    if (!key) return null;
    const { payload } = await jwtVerify(token, key, {
      algorithms: [ALG],
      issuer: config.jwt.issuer,
      audience: config.jwt.audience,
      requiredClaims: ['sub', 'sid', 'iat', 'exp'],
    });
    const principalId = Number(payload.sub);
    if (!Number.isInteger(principalId) || typeof payload.sid !== 'string') return null;
    return { principalId, sessionId: payload.sid, expiresAt: payload.exp };
  } catch (e) {
    if ((e as { code?: string }).code === 'ERR_JWT_EXPIRED') onExpired?.();
    return null;
  }
}
