import { GraphQLScalarType, Kind } from 'graphql';
import { DateTimeResolver } from 'graphql-scalars';

const DATE_RE = /^(\d{4})-(\d{2})-(\d{2})$/;

/** The last day found valid: most requests name the same day (today) again. */
let lastIsoDate = '';

/** True for a real calendar day written YYYY-MM-DD. */
export function isIsoDate(value: unknown): value is string {
  if (typeof value !== 'string') return false;
  if (value === lastIsoDate) return true;
  const m = DATE_RE.exec(value);
  if (!m) return false;
  const d = new Date(Date.UTC(Number(m[1]), Number(m[2]) - 1, Number(m[3])));
  if (d.toISOString().slice(0, 10) !== value) return false;
  lastIsoDate = value;
  return true;
}

function parseDate(value: unknown): string {
  if (!isIsoDate(value)) throw new TypeError(`Date must be a calendar day written YYYY-MM-DD, got ${JSON.stringify(value)}`);
  return value;
}

/** A calendar day (YYYY-MM-DD), Vietnam time; carried as a string end to end. */
export const DateScalar = new GraphQLScalarType({
  name: 'Date',
  description: 'A calendar day, YYYY-MM-DD, in Vietnam time (Asia/Ho_Chi_Minh).',
  specifiedByURL: 'https://scalars.graphql.org/andimarek/local-date',
  serialize: (v) => (v instanceof Date ? v.toISOString().slice(0, 10) : parseDate(v)),
  parseValue: parseDate,
  parseLiteral: (ast) => {
    if (ast.kind !== Kind.STRING) throw new TypeError('Date must be a string YYYY-MM-DD');
    return parseDate(ast.value);
  },
});

/** PostgreSQL has no year 0 and the API speaks ISO 8601 with four-digit years: instants outside years 1–9999 are refused as input. */
function inStoredRange(value: Date): Date {
  const year = value.getUTCFullYear();
  if (year < 1 || year > 9999) throw new TypeError(`DateTime must lie between years 0001 and 9999, got year ${year}`);
  return value;
}

/** An instant, ISO-8601 in UTC (graphql-scalars' DateTime), limited to years 1–9999 on input. */
export const DateTimeScalar = new GraphQLScalarType({
  ...DateTimeResolver.toConfig(),
  specifiedByURL: 'https://scalars.graphql.org/andimarek/date-time',
  description: `${DateTimeResolver.description ?? ''} Accepted from year 0001 to 9999.`.trim(),
  parseValue: (v) => inStoredRange(DateTimeResolver.parseValue(v) as Date),
  parseLiteral: (ast, variables) => inStoredRange(DateTimeResolver.parseLiteral(ast, variables) as Date),
});

const VIETNAM_OFFSET_MS = 7 * 3600_000;
const DAY_MS = 86_400_000;
/** The last day computed and the instants [from, until) it covers: most calls (several per request) find it. */
let lastDay = { from: 0, until: 0, day: '' };

/** Today's calendar day in Vietnam (UTC+7, no daylight saving). */
export function todayInVietnam(now?: Date): string {
  const ms = now === undefined ? Date.now() : now.getTime();
  if (ms >= lastDay.from && ms < lastDay.until) return lastDay.day;
  const shifted = ms + VIETNAM_OFFSET_MS;
  const day = new Date(shifted).toISOString().slice(0, 10);
  const from = shifted - (((shifted % DAY_MS) + DAY_MS) % DAY_MS) - VIETNAM_OFFSET_MS;
  lastDay = { from, until: from + DAY_MS, day };
  return day;
}
