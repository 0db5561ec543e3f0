import { randomBytes, scrypt as scryptCb, timingSafeEqual, type ScryptOptions } from 'node:crypto';
import { ProblemList } from '../common/errors';

/*
 * Passwords are stored as `scrypt$<logN>$<r>$<p>$<salt b64url>$<hash b64url>`, so the cost can be
 * raised later while old hashes still verify with the parameters they were made with.
 */
export const MIN_PASSWORD_LENGTH = 10;
const MAX_PASSWORD_LENGTH = 256;
const LOG_N = 15;
const R = 8;
const P = 1;
const KEY_LEN = 32;

function scrypt(password: string, salt: Buffer, logN: number, r: number, p: number): Promise<Buffer> {
  const N = 2 ** logN;
  const opts: ScryptOptions = { N, r, p, maxmem: 256 * N * r };
  return new Promise((resolve, reject) => scryptCb(password.normalize('NFC'), salt, KEY_LEN, opts, (e, key) => (e ? reject(e) : resolve(key))));
}

export async function hashPassword(password: string): Promise<string> {
  const salt = randomBytes(16);
  const key = await scrypt(password, salt, LOG_N, R, P);
  return `scrypt$${LOG_N}$${R}$${P}$${salt.toString('base64url')}$${key.toString('base64url')}`;
}

/** Constant-time comparison; false for anything malformed. */
export async function verifyPassword(password: string, encoded: string): Promise<boolean> {
  const parts = encoded.split('$');
  if (parts.length !== 6 || parts[0] !== 'scrypt') return false;
  const [logN, r, p] = parts.slice(1, 4).map(Number);
  if (![logN, r, p].every(Number.isInteger) || logN < 10 || logN > 20 || r < 1 || r > 32 || p < 1 || p > 16) return false;
  const expected = Buffer.from(parts[5], 'base64url');
  if (expected.length !== KEY_LEN) return false;
  const actual = await scrypt(password, Buffer.from(parts[4], 'base64url'), logN, r, p);
  return timingSafeEqual(actual, expected);
}

let dummy: Promise<string> | undefined;
/**
 * A hash of nothing anyone knows: verifying against it when the user does not exist (or has no
 * password) costs the same time as a real check, so timing does not tell which usernames exist.
 */
export function dummyHash(): Promise<string> {
  return (dummy ??= hashPassword(randomBytes(24).toString('base64url')));
}

/** Adds a problem when the new password is too weak to accept. */
export function checkNewPassword(problems: ProblemList, path: (string | number)[], password: string): void {
  if (password.length < MIN_PASSWORD_LENGTH) problems.add(path, `The password must be at least ${MIN_PASSWORD_LENGTH} characters.`);
  else if (password.length > MAX_PASSWORD_LENGTH) problems.add(path, `The password must be at most ${MAX_PASSWORD_LENGTH} characters.`);
  else if (/^(.)\1*$/.test(password)) problems.add(path, 'The password must not be one character repeated.');
}
