import path from 'node:path';
import { isIP } from 'node:net';

export type NodeEnv = 'development' | 'production' | 'test';

export const LOG_LEVELS = ['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent'] as const;
export type LogLevelName = (typeof LOG_LEVELS)[number];

/**
 * Which hops may tell the client's address in X-Forwarded-For: none (false), the nearest N proxies,
 * or proxies at these addresses / CIDR ranges. Fastify's `trustProxy` takes each form as is.
 */
export type TrustProxy = false | number | readonly string[];

export interface Config {
  readonly env: NodeEnv;
  readonly host: string;
  readonly port: number;
  /** Set: use that PostgreSQL server. Unset: start an embedded one in `dataDir`. */
  readonly databaseUrl?: string;
  readonly dataDir: string;
  readonly embeddedPgPort: number;
  readonly seedDemo: boolean;
  readonly logLevel: LogLevelName;
  readonly maxPageSize: number;
  readonly introspection: boolean;
  readonly jwt: {
    readonly issuer: string;
    readonly audience: string;
    readonly accessTtlSeconds: number;
    readonly refreshTtlSeconds: number;
    /** PEM (PKCS#8) of the current signing key; generated into dataDir when unset. */
    readonly privateKeyPem?: string;
    /** JSON array of older public JWKs still accepted (each with a `kid`). */
    readonly previousPublicKeys: readonly Record<string, unknown>[];
  };
  readonly dbPoolMax: number;
  /** Bounds on every wait for the database (milliseconds); see DatabaseGuards in src/db/guards.ts. */
  readonly db: {
    readonly statementTimeoutMs: number;
    readonly lockTimeoutMs: number;
    readonly idleInTransactionTimeoutMs: number;
    readonly acquireTimeoutMs: number;
    readonly connectTimeoutMs: number;
    /** A socket that has sent a query and heard nothing for this long is cut (a hung or partitioned server). */
    readonly answerTimeoutMs: number;
    readonly keepAliveDelayMs: number;
    readonly readinessTimeoutMs: number;
    /** Seconds a client is told to wait (Retry-After) when the database is unavailable. */
    readonly retryAfterSeconds: number;
  };
  /** How many times to try reaching the database at start (with backoff) before giving up. */
  readonly dbConnectAttempts: number;
  readonly limits: {
    readonly maxDepth: number;
    readonly maxAliases: number;
    readonly maxCost: number;
    readonly maxTokens: number;
    /** Deepest nesting of brackets a document may have (checked before parsing). */
    readonly maxNesting: number;
    readonly maxBodyBytes: number;
    /** Largest serialized GraphQL response; larger ones are replaced by a typed error. */
    readonly maxResponseBytes: number;
  };
  /** Origins allowed to call the API from a browser (CORS); empty: none. */
  readonly corsOrigins: readonly string[];
  /** Requests per minute, shared across instances (0 disables): per principal, per anonymous address, logins per address. */
  readonly rateLimits: { readonly perPrincipal: number; readonly perAddress: number; readonly loginPerAddress: number; readonly flushMs: number; readonly windowSeconds: number };
  /** Serve Prometheus metrics at /metrics (protect it with METRICS_TOKEN or keep the port internal). */
  readonly metricsEnabled: boolean;
  readonly metricsToken?: string;
  /** Proxies trusted to forward the client address (TRUST_PROXY); the request's `ip` honours only them. */
  readonly trustProxy: TrustProxy;
  /** Extra wait per failed sign-in beyond the 5th within 15 minutes (capped at 5 attempts' worth). */
  readonly loginFailureDelayMs: number;
  /** Operation names counted under their own name in Prometheus labels, beyond the built-in list (others: `other`). */
  readonly metricsOperationNames: readonly string[];
  /** Days client addresses stay in the audit log before the retention job removes them. */
  readonly auditIpRetentionDays: number;
  /** Shared answers of dashboard queries (src/cache): memory bound in bytes (0 turns the cache off) and maximum age. */
  readonly responseCache: { readonly maxBytes: number; readonly ttlSeconds: number };
  /** Serve the GraphQL IDE to browsers at /graphql (and redirect / there). */
  readonly graphqlIde: boolean;
  /** Live updates (/graphql/stream): streams per principal on one instance, units per subscription, coalescing window, session re-check. */
  readonly live: { readonly maxStreamsPerPrincipal: number; readonly maxUnits: number; readonly coalesceMs: number; readonly recheckMs: number };
}

type Env = Record<string, string | undefined>;
type IntReader = (name: string, def: number, min: number, max: number) => number;

function dbBounds(int: IntReader): Config['db'] {
  const statementTimeoutMs = int('DB_STATEMENT_TIMEOUT_MS', 10_000, 100, 3_600_000);
  return {
    statementTimeoutMs,
    lockTimeoutMs: int('DB_LOCK_TIMEOUT_MS', 5_000, 50, 3_600_000),
    idleInTransactionTimeoutMs: int('DB_IDLE_IN_TRANSACTION_TIMEOUT_MS', 60_000, 1_000, 3_600_000),
    acquireTimeoutMs: int('DB_ACQUIRE_TIMEOUT_MS', 5_000, 100, 600_000),
    connectTimeoutMs: int('DB_CONNECT_TIMEOUT_MS', 5_000, 100, 600_000),
    // Past the statement timeout, so a slow statement is cancelled by the server (and reported) before this fires.
    answerTimeoutMs: int('DB_ANSWER_TIMEOUT_MS', statementTimeoutMs + 2_000, 200, 3_600_000),
    keepAliveDelayMs: int('DB_KEEPALIVE_DELAY_MS', 10_000, 1_000, 3_600_000),
    readinessTimeoutMs: int('READINESS_TIMEOUT_MS', 2_000, 100, 60_000),
    retryAfterSeconds: int('RETRY_AFTER_SECONDS', 2, 1, 3_600),
  };
}

/** The password for `npm run user:create-admin`, when given in the environment (ADMIN_PASSWORD). */
export function adminPasswordFromEnv(env: Env = process.env): string | undefined {
  return env.ADMIN_PASSWORD || undefined;
}

function operationNames(raw: string | undefined, problems: string[]): string[] {
  const names = (raw ?? '').split(',').map((n) => n.trim()).filter(Boolean);
  if (names.length > 500 || names.some((n) => !/^[A-Za-z_][A-Za-z0-9_]{0,63}$/.test(n))) {
    problems.push('METRICS_OPERATION_NAMES=<list> (expected at most 500 comma-separated GraphQL names)');
    return [];
  }
  return names;
}

/** Parses the environment once; throws naming every bad variable. Nothing else reads process.env. */
export function loadConfig(env: Env = process.env): Config {
  const problems: string[] = [];
  const int = (name: string, def: number, min: number, max: number): number => {
    const raw = env[name];
    if (raw === undefined || raw === '') return def;
    const n = Number(raw);
    if (!Number.isInteger(n) || n < min || n > max) {
      problems.push(`${name}=${raw} (expected an integer from ${min} to ${max})`);
      return def;
    }
    return n;
  };
  const bool = (name: string, def: boolean): boolean => {
    const raw = env[name];
    if (raw === undefined || raw === '') return def;
    if (['true', '1', 'yes'].includes(raw.toLowerCase())) return true;
    if (['false', '0', 'no'].includes(raw.toLowerCase())) return false;
    problems.push(`${name}=${raw} (expected true or false)`);
    return def;
  };
  const nodeEnv = (env.NODE_ENV ?? 'development') as NodeEnv;
  if (!['development', 'production', 'test'].includes(nodeEnv)) {
    problems.push(`NODE_ENV=${env.NODE_ENV} (expected development, production or test)`);
  }
  const databaseUrl = env.DATABASE_URL || undefined;
  if (databaseUrl && !/^postgres(ql)?:\/\//.test(databaseUrl)) {
    problems.push('DATABASE_URL=<hidden> (expected a postgres:// or postgresql:// URL)');
  }
  let previousPublicKeys: Record<string, unknown>[] = [];
  if (env.JWT_PREVIOUS_PUBLIC_KEYS) {
    try {
      const parsed: unknown = JSON.parse(env.JWT_PREVIOUS_PUBLIC_KEYS);
      if (!Array.isArray(parsed) || parsed.some((k) => typeof k !== 'object' || !k || !('kid' in k))) throw new Error();
      previousPublicKeys = parsed as Record<string, unknown>[];
    } catch {
      problems.push('JWT_PREVIOUS_PUBLIC_KEYS=<json> (expected a JSON array of public JWKs, each with a kid)');
    }
  }
  const privateKeyPem = env.JWT_PRIVATE_KEY?.replace(/\\n/g, '\n') || undefined;
  if (privateKeyPem && !privateKeyPem.includes('BEGIN PRIVATE KEY')) {
    problems.push('JWT_PRIVATE_KEY=<hidden> (expected a PKCS#8 PEM private key)');
  }
  if (nodeEnv === 'production' && databaseUrl && !privateKeyPem) {
    problems.push('JWT_PRIVATE_KEY is required in production with DATABASE_URL (keys must be shared by every instance)');
  }
  const config: Config = {
    env: nodeEnv,
    host: env.HOST || '0.0.0.0',
    port: int('PORT', 4000, 0, 65535),
    databaseUrl,
    dataDir: path.resolve(env.DATA_DIR || '.data'),
    embeddedPgPort: int('EMBEDDED_PG_PORT', 54329, 1024, 65535),
    seedDemo: bool('SEED_DEMO', !databaseUrl),
    logLevel: logLevel(env.LOG_LEVEL, nodeEnv, problems),
    maxPageSize: int('MAX_PAGE_SIZE', 100, 1, 10000),
    introspection: bool('GRAPHQL_INTROSPECTION', nodeEnv !== 'production'),
    jwt: {
      issuer: env.JWT_ISSUER || 'vneid-campaign-api',
      audience: env.JWT_AUDIENCE || 'vneid-campaign-clients',
      accessTtlSeconds: int('ACCESS_TOKEN_TTL_SECONDS', 900, 30, 86400),
      refreshTtlSeconds: int('REFRESH_TOKEN_TTL_SECONDS', 30 * 86400, 60, 365 * 86400),
      privateKeyPem,
      previousPublicKeys,
    },
    dbPoolMax: int('DB_POOL_MAX', 10, 1, 200),
    dbConnectAttempts: int('DB_CONNECT_ATTEMPTS', 8, 1, 100),
    db: dbBounds(int),
    limits: {
      maxDepth: int('MAX_QUERY_DEPTH', 12, 2, 100),
      maxAliases: int('MAX_QUERY_ALIASES', 30, 0, 1000),
      maxCost: int('MAX_QUERY_COST', 100_000, 10, 100_000_000),
      maxTokens: int('MAX_QUERY_TOKENS', 5000, 100, 1_000_000),
      maxNesting: int('MAX_QUERY_NESTING', 64, 4, 500),
      maxBodyBytes: int('MAX_BODY_BYTES', 2 * 1024 * 1024, 1024, 100 * 1024 * 1024),
      maxResponseBytes: int('MAX_RESPONSE_BYTES', 16 * 1024 * 1024, 1024, 1024 * 1024 * 1024),
    },
    corsOrigins: (env.CORS_ORIGINS ?? '').split(',').map((o) => o.trim()).filter(Boolean),
    rateLimits: {
      perPrincipal: int('RATE_LIMIT_PER_PRINCIPAL', 100_000, 0, 10_000_000),
      perAddress: int('RATE_LIMIT_PER_ADDRESS', 600, 0, 10_000_000),
      loginPerAddress: int('RATE_LIMIT_LOGIN_PER_ADDRESS', 30, 0, 100_000),
      flushMs: int('RATE_LIMIT_FLUSH_MS', 1000, 10, 60_000),
      windowSeconds: int('RATE_LIMIT_WINDOW_SECONDS', 60, 1, 86_400),
    },
    metricsEnabled: bool('METRICS_ENABLED', true),
    metricsToken: env.METRICS_TOKEN || undefined,
    trustProxy: trustProxy(env.TRUST_PROXY, problems),
    loginFailureDelayMs: int('LOGIN_FAILURE_DELAY_MS', 1000, 0, 10_000),
    metricsOperationNames: operationNames(env.METRICS_OPERATION_NAMES, problems),
    auditIpRetentionDays: int('AUDIT_IP_RETENTION_DAYS', 30, 1, 3650),
    responseCache: {
      maxBytes: int('RESPONSE_CACHE_MB', 64, 0, 16_384) * 1024 * 1024,
      ttlSeconds: int('RESPONSE_CACHE_TTL_SECONDS', 60, 1, 86_400),
    },
    graphqlIde: bool('GRAPHQL_IDE', nodeEnv !== 'production'),
    live: {
      maxStreamsPerPrincipal: int('LIVE_MAX_STREAMS_PER_PRINCIPAL', 20, 1, 10_000),
      maxUnits: int('LIVE_MAX_UNITS', 100, 1, 10_000),
      coalesceMs: int('LIVE_COALESCE_MS', 1000, 50, 60_000),
      recheckMs: int('LIVE_RECHECK_SECONDS', 15, 1, 3600) * 1000,
    },
  };
  if (problems.length) throw new Error(`Invalid environment variables: ${problems.join(', ')}`);
  return Object.freeze(config);
}

function logLevel(raw: string | undefined, nodeEnv: NodeEnv, problems: string[]): LogLevelName {
  if (!raw) return nodeEnv === 'test' ? 'silent' : 'info';
  if ((LOG_LEVELS as readonly string[]).includes(raw)) return raw as LogLevelName;
  problems.push(`LOG_LEVEL=${raw} (expected one of ${LOG_LEVELS.join(', ')})`);
  return 'info';
}

/** `false`/empty: trust no proxy; an integer: that many hops; else a comma-separated list of addresses or CIDR ranges. */
function trustProxy(raw: string | undefined, problems: string[]): TrustProxy {
  const value = raw?.trim();
  if (!value || value === 'false' || value === '0') return false;
  if (/^\d+$/.test(value)) {
    const hops = Number(value);
    if (hops <= 20) return hops;
    problems.push(`TRUST_PROXY=${raw} (a hop count is at most 20)`);
    return false;
  }
  const entries = value.split(',').map((e) => e.trim()).filter(Boolean);
  const bad = entries.filter((e) => !isAddressOrCidr(e));
  if (bad.length) {
    problems.push(`TRUST_PROXY=${raw} (expected a hop count or a comma-separated list of IP addresses or CIDR ranges; not ${bad.join(', ')})`);
    return false;
  }
  return entries;
}

function isAddressOrCidr(entry: string): boolean {
  const [address, prefix, extra] = entry.split('/');
  const family = isIP(address);
  if (!family || extra !== undefined) return false;
  if (prefix === undefined) return true;
  const bits = Number(prefix);
  return /^\d+$/.test(prefix) && bits <= (family === 4 ? 32 : 128);
}
