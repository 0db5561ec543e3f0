import { GraphQLError } from 'graphql';

export type ErrorCode =
  | 'UNAUTHENTICATED'
  | 'FORBIDDEN'
  | 'NOT_FOUND'
  | 'BAD_USER_INPUT'
  | 'CONFLICT'
  | 'RATE_LIMITED'
  | 'SERVICE_UNAVAILABLE'
  | 'INTERNAL_SERVER_ERROR';

export type LogLevel = 'debug' | 'info' | 'warn' | 'error';

export interface InputProblem {
  /** Path of the offending field inside the operation's arguments, e.g. ["input", "allocations", 3, "target"]. */
  path: (string | number)[];
  message: string;
  /** 1-based row number for imports. */
  row?: number;
}

/** A domain error: a stable code for programs, a message for people, a log level for us. */
export abstract class AppError extends GraphQLError {
  abstract readonly code: ErrorCode;
  readonly logLevel: LogLevel = 'debug';
  constructor(message: string, extensions: Record<string, unknown> = {}) {
    super(message, { extensions });
  }
}

/**
 * Why a request is not authenticated, for programs (extensions.reason): MISSING → sign in; EXPIRED →
 * refresh the session; the others → sign in again (or fix the key/header).
 */
export type UnauthenticatedReason =
  | 'MISSING' | 'MALFORMED_HEADER' | 'INVALID' | 'EXPIRED' | 'SESSION_ENDED' | 'API_KEY_INVALID'
  | 'BAD_CREDENTIALS' | 'BAD_REFRESH_TOKEN';

/** RFC 6750 §3: the challenge a 401 carries; `error` only when a credential was sent and refused. */
export function bearerChallenge(reason: UnauthenticatedReason, message: string): string {
  const realm = 'Bearer realm="vneid-campaign-api"';
  if (reason === 'MISSING' || reason === 'BAD_CREDENTIALS' || reason === 'BAD_REFRESH_TOKEN') return realm;
  const error = reason === 'MALFORMED_HEADER' ? 'invalid_request' : 'invalid_token';
  return `${realm}, error="${error}", error_description="${message.replace(/["\\]/g, '')}"`;
}

export class UnauthenticatedError extends AppError {
  readonly code = 'UNAUTHENTICATED';
  readonly reason: UnauthenticatedReason;
  constructor(message = 'Sign in first: send a valid access token or API key.', reason: UnauthenticatedReason = 'MISSING') {
    super(message, {
      code: 'UNAUTHENTICATED',
      reason,
      http: { status: 401, headers: new Map([['www-authenticate', bearerChallenge(reason, message)]]) },
    });
    this.reason = reason;
  }
}

export class ForbiddenError extends AppError {
  readonly code = 'FORBIDDEN';
  override readonly logLevel = 'info';
  constructor(message = 'You are not allowed to do this.') {
    super(message, { code: 'FORBIDDEN' });
  }
}

/** Longest piece of client input echoed in an error message. */
export const MAX_ECHO_CHARS = 100;

/** Cuts `text` to `max` characters, saying how much was left out: errors never echo input in full. */
export function clip(text: string, max = MAX_ECHO_CHARS): string {
  return text.length <= max ? text : `${text.slice(0, max)}… (${text.length - max} more characters)`;
}

export class NotFoundError extends AppError {
  readonly code = 'NOT_FOUND';
  constructor(what: string, id?: string) {
    super(id ? `${what} ${clip(id)} was not found.` : `${what} was not found.`, { code: 'NOT_FOUND' });
  }
}

export class BadUserInputError extends AppError {
  readonly code = 'BAD_USER_INPUT';
  readonly problems: InputProblem[];
  constructor(message: string, problems: InputProblem[] = []) {
    super(message, {
      code: 'BAD_USER_INPUT',
      fieldPaths: problems.map((p) => p.path.join('.')),
      problems,
    });
    this.problems = problems;
  }
  static field(path: (string | number)[], message: string): BadUserInputError {
    return new BadUserInputError(message, [{ path, message }]);
  }
}

export class ConflictError extends AppError {
  readonly code = 'CONFLICT';
  override readonly logLevel = 'info';
  constructor(message: string, details: Record<string, unknown> = {}) {
    super(message, { code: 'CONFLICT', ...details });
  }
}

export class RateLimitedError extends AppError {
  readonly code = 'RATE_LIMITED';
  override readonly logLevel = 'info';
  constructor(retryAfterSeconds: number) {
    super(`Too many requests. Retry after ${retryAfterSeconds} seconds.`, {
      code: 'RATE_LIMITED',
      retryAfterSeconds,
      http: { status: 429, headers: new Map([['retry-after', String(retryAfterSeconds)]]) },
    });
  }
}

/**
 * The database cannot serve the request now (unreachable, restarting, a connection cut, a timeout,
 * a lock not granted): nothing the client did; the same request may succeed shortly. HTTP 503.
 */
export class ServiceUnavailableError extends AppError {
  readonly code = 'SERVICE_UNAVAILABLE';
  override readonly logLevel = 'warn';
  constructor(retryAfterSeconds: number, message = `The database is unavailable or busy; retry in ${retryAfterSeconds} seconds.`) {
    super(message, {
      code: 'SERVICE_UNAVAILABLE',
      retryable: true,
      retryAfterSeconds,
      http: { status: 503, headers: new Map([['retry-after', String(retryAfterSeconds)]]) },
    });
  }
}

/** Collects problems so a service can report every bad field at once. */
export class ProblemList {
  readonly items: InputProblem[] = [];
  add(path: (string | number)[], message: string, row?: number): void {
    this.items.push(row === undefined ? { path, message } : { path, message, row });
  }
  get empty(): boolean {
    return this.items.length === 0;
  }
  throwIfAny(summary = 'The input is invalid; nothing was changed.'): void {
    if (!this.empty) throw new BadUserInputError(`${summary} ${this.items.slice(0, 5).map((p) => p.message).join(' ')}`.trim(), this.items);
  }
}
