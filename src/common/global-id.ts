import { BadUserInputError } from './errors';

/** Relay global ids: base64url("Type:localId"), opaque to clients. */
export function toGlobalId(type: string, id: number | string): string {
  return Buffer.from(`${type}:${id}`, 'utf8').toString('base64url');
}

/** Ids decoded lately: a list of units asks for the same campaign id once per unit. */
const decodedKeys = new Map<string, { type: string; key: string } | null>();
const MAX_DECODED = 1000;

/** "Type:key" for any key (numeric ids, and the codes of code-keyed types such as Metric), or null. */
export function parseGlobalKey(globalId: string): { type: string; key: string } | null {
  if (typeof globalId !== 'string' || globalId.length > 200) return null;
  let parsed = decodedKeys.get(globalId);
  if (parsed === undefined) {
    if (decodedKeys.size >= MAX_DECODED) decodedKeys.clear();
    decodedKeys.set(globalId, (parsed = decodeGlobalKey(globalId)));
  }
  return parsed && { ...parsed };
}

function decodeGlobalKey(globalId: string): { type: string; key: string } | null {
  const decoded = Buffer.from(globalId, 'base64url').toString('utf8');
  const i = decoded.indexOf(':');
  if (i <= 0) return null;
  const type = decoded.slice(0, i);
  const key = decoded.slice(i + 1);
  if (!/^[A-Za-z]+$/.test(type) || !/^[0-9A-Za-z._-]{1,100}$/.test(key)) return null;
  return { type, key };
}

export function parseGlobalId(globalId: string): { type: string; id: string } | null {
  const parsed = parseGlobalKey(globalId);
  if (!parsed || !/^[0-9]{1,15}$/.test(parsed.key)) return null;
  return { type: parsed.type, id: parsed.key };
}

/**
 * Decodes an id of the expected type, or returns null so the caller answers NOT_FOUND
 * (an id of another type is just an id that names nothing here).
 */
export function localIdOf(type: string, globalId: string): number | null {
  const parsed = parseGlobalId(globalId);
  if (!parsed || parsed.type !== type) return null;
  return Number(parsed.id);
}

/** For ids that must exist to be valid input (e.g. a parent in createUnit): malformed → BAD_USER_INPUT. */
export function requireLocalId(type: string, globalId: string, path: (string | number)[]): number {
  const id = localIdOf(type, globalId);
  if (id === null) throw BadUserInputError.field(path, `${path.join('.')} is not a valid ${type} id.`);
  return id;
}
