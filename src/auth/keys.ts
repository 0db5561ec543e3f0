import fs from 'node:fs';
import path from 'node:path';
import { exportJWK, exportPKCS8, generateKeyPair, importPKCS8, calculateJwkThumbprint, importJWK, type JWK, type CryptoKey } from 'jose';
import type { Config } from '../config';

export const ALG = 'ES256';

export interface KeySet {
  signingKey: CryptoKey;
  kid: string;
  /** Public keys accepted for verification, by kid: the current one and any older ones still honoured. */
  verificationKeys: Map<string, CryptoKey>;
  /** The JWKS served at /.well-known/jwks.json. */
  jwks: { keys: JWK[] };
}

/**
 * The signing key comes from JWT_PRIVATE_KEY; without it (embedded/dev mode) one is generated
 * once and kept in the data folder, so restarts do not sign everyone out.
 */
export async function loadKeySet(config: Config): Promise<KeySet> {
  const pem = config.jwt.privateKeyPem ?? (await localKeyPem(config.dataDir));
  const signingKey = await importPKCS8(pem, ALG, { extractable: true });
  const publicJwk = await exportJWK(signingKey);
  delete publicJwk.d;
  const kid = await calculateJwkThumbprint(publicJwk);
  const current: JWK = { ...publicJwk, kid, alg: ALG, use: 'sig' };
  const jwks: JWK[] = [current];
  const verificationKeys = new Map<string, CryptoKey>([[kid, (await importJWK(current, ALG)) as CryptoKey]]);
  for (const old of config.jwt.previousPublicKeys) {
    const jwk = { ...(old as JWK), alg: ALG, use: 'sig' };
    delete jwk.d;
    verificationKeys.set(String(jwk.kid), (await importJWK(jwk, ALG)) as CryptoKey);
    jwks.push(jwk);
  }
  return { signingKey, kid, verificationKeys, jwks: { keys: jwks } };
}

async function localKeyPem(dataDir: string): Promise<string> {
  const file = path.join(dataDir, 'keys', 'jwt-signing-key.pem');
  if (fs.existsSync(file)) return fs.readFileSync(file, 'utf8');
  const { privateKey } = await generateKeyPair(ALG, { extractable: true });
  const pem = await exportPKCS8(privateKey);
  fs.mkdirSync(path.dirname(file), { recursive: true, mode: 0o700 });
  fs.writeFileSync(file, pem, { mode: 0o600 });
  return pem;
}
