import { GraphQLError, GraphQLScalarType, Kind } from 'graphql';

/**
 * Returns `value` (a JS number, a numeric string as PostgreSQL sends bigint and numeric, or a
 * bigint) as a number when it is a whole number JavaScript holds exactly; throws otherwise, so a
 * figure is never silently rounded.
 */
export function toCount(value: unknown): number {
  const n = typeof value === 'number' ? value : typeof value === 'bigint' || (typeof value === 'string' && /^-?\d+$/.test(value)) ? Number(value) : NaN;
  if (!Number.isSafeInteger(n)) throw new GraphQLError(`Count cannot represent ${String(value).slice(0, 40)}: not a whole number within ±(2^53 − 1).`);
  return n;
}

/**
 * Figures (reports, rollups, series, quota targets and their sums, gains) are sums over up to ~100,000
 * units of values up to 2,147,483,647 each: past GraphQL Int's 32 bits, far below 2^53.
 */
export const CountScalar = new GraphQLScalarType({
  name: 'Count',
  description:
    'A whole number of people, accounts or applications: a figure, a sum of figures, or a difference of two (negative only where the field says so). ' +
    'Exact up to ±9,007,199,254,740,991 (2^53 − 1, a JavaScript safe integer) and sent as a plain JSON number; ' +
    'unlike Int (32 bits) it holds the sum of any accepted reports, e.g. two reports of 2,147,483,647.',
  specifiedByURL: 'https://tc39.es/ecma262/#sec-number.issafeinteger',
  serialize: toCount,
  parseValue: (v) => {
    if (typeof v !== 'number') throw new TypeError('Count must be a JSON number');
    return toCount(v);
  },
  parseLiteral: (ast) => {
    if (ast.kind !== Kind.INT) throw new TypeError('Count must be a whole number');
    return toCount(ast.value);
  },
});
