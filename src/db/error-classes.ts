/**
 * One classification of what the database layer throws (pg, knex, MikroORM wrap each other's errors,
 * so the cause chain is walked). `unavailable`: the database cannot serve the request now, and the
 * same request may succeed shortly (answered 503 + Retry-After, retryable). `badInput`: a value the
 * client sent that PostgreSQL cannot represent. Anything else is a bug (500).
 */
export type DatabaseErrorClass = 'unavailable' | 'badInput';

const UNAVAILABLE_CODES = new Set([
  // sockets
  'ECONNREFUSED', 'ECONNRESET', 'ETIMEDOUT', 'EPIPE', 'EHOSTUNREACH', 'ENETUNREACH', 'EAI_AGAIN', 'ENOTFOUND',
  // 57P01 admin shutdown / terminate_backend, 57P02 crash shutdown, 57P03 cannot connect now, 57P05 idle session timeout
  '57P01', '57P02', '57P03', '57P05',
  '57014', // statement timeout (query_canceled)
  '55P03', // lock timeout (lock_not_available)
  '55000', // database not accepting connections
  '25P03', // idle-in-transaction timeout
  '40001', '40P01', // serialization failure / deadlock that outlived the retries
]);
/** Whole SQLSTATE classes: 08 connection exception, 53 insufficient resources (too many connections, disk full, out of memory). */
const UNAVAILABLE_CLASSES = ['08', '53'];
const UNAVAILABLE_MESSAGE =
  /Connection terminated|terminating connection|is not queryable|Transaction query already complete|Timeout acquiring a connection|Unable to acquire a connection|timeout exceeded when trying to connect|^timeout expired$|connection timeout|Query read timeout|did not answer within|not currently accepting connections|the database system is (starting up|shutting down|in recovery mode)|server closed the connection unexpectedly|Connection ended unexpectedly|read ECONNRESET|write EPIPE/;
/** 22007 invalid datetime format, 22008 datetime field overflow: a date the client sent that PostgreSQL cannot hold. */
const BAD_INPUT_CODES = new Set(['22007', '22008']);

function chain(e: unknown): Record<string, unknown>[] {
  const out: Record<string, unknown>[] = [];
  let cur: unknown = e;
  while (cur && typeof cur === 'object' && out.length < 5 && !out.includes(cur as Record<string, unknown>)) {
    const err = cur as Record<string, unknown>;
    out.push(err);
    cur = err.originalError ?? err.cause;
  }
  return out;
}

export function classifyDatabaseError(e: unknown): DatabaseErrorClass | undefined {
  const errors = chain(e);
  const codes = errors.flatMap((err) => [err.code, err.sqlState]).filter((c): c is string => typeof c === 'string');
  if (codes.some((c) => BAD_INPUT_CODES.has(c))) return 'badInput';
  if (codes.some((c) => UNAVAILABLE_CODES.has(c) || (c.length === 5 && UNAVAILABLE_CLASSES.includes(c.slice(0, 2))))) return 'unavailable';
  if (errors.some((err) => err.name === 'KnexTimeoutError' || (typeof err.message === 'string' && UNAVAILABLE_MESSAGE.test(err.message)))) return 'unavailable';
  return undefined;
}
