/**
 * Unit paths are ltrees of ids ("12.345.6789"). The empty path stands for the whole country
 * (a national campaign's scope): every path lies under it, in JS as in SQL (`'' @> x` holds).
 */
export const NATIONAL_PATH = '';

export function isUnderPath(path: string, root: string): boolean {
  return root === NATIONAL_PATH || path === root || path.startsWith(`${root}.`);
}

/** SQL for a campaign scope path given the scope unit alias: national campaigns have none. */
export const scopePathSql = (alias: string): string => `coalesce(${alias}.path, ''::ltree)`;
