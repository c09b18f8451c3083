// One error type for every mistake a user can make, with stable codes.
// The error middleware turns it into {"errors": {field: [message]}} (API) or a page.

export type ErrorCode =
  | 'validation'      // 422: a field is missing, blank or invalid
  | 'malformed_body'  // 400: the body is not valid JSON
  | 'conflict'        // 409: username or email taken
  | 'unauthorized'    // 401: no token, bad token, bad credentials
  | 'forbidden'       // 403: not the owner
  | 'not_found'       // 404
  | 'not_allowed'     // 405: the route exists, not for this method
  | 'too_large'       // 413
  | 'rate_limited'    // 429: too many attempts (sign-in)
  | 'unavailable';    // 503: a dependency is down

const statusOf: Record<ErrorCode, number> = {
  validation: 422,
  malformed_body: 400,
  conflict: 409,
  unauthorized: 401,
  forbidden: 403,
  not_found: 404,
  not_allowed: 405,
  too_large: 413,
  rate_limited: 429,
  unavailable: 503,
};

export type FieldErrors = Record<string, string[]>;

export class AppError extends Error {
  override name = 'AppError';
  readonly status: number;
  constructor(readonly code: ErrorCode, readonly errors: FieldErrors) {
    super(`${code}: ${JSON.stringify(errors)}`);
    this.status = statusOf[code];
  }
}

export const invalid = (field: string, message: string) => new AppError('validation', { [field]: [message] });
export const notFound = (what: string) => new AppError('not_found', { [what]: ['not found'] });
export const forbidden = (what: string, message = 'forbidden') => new AppError('forbidden', { [what]: [message] });
export const conflict = (field: string) => new AppError('conflict', { [field]: ['has already been taken'] });
export const unauthorized = (field: string, message: string) => new AppError('unauthorized', { [field]: [message] });
export const unavailable = () => new AppError('unavailable', { service: ['unavailable, try again'] });

/**
 * Codes of the errors Quire raises itself when it gives up on a dependency: mysql2's pool refusals
 * and Quire's deadlines carry no code of their own, nor do ioredis's connection errors, so the
 * layer that meets them (db/mysql-pool.ts, db/redis.ts) rethrows them as one of these.
 */
const dependencyErrorCodes = [
  'DATABASE_TIMEOUT',  // no connection, or no answer, within DATABASE_TIMEOUT_MS
  'DATABASE_BUSY',     // more calls waiting for a connection than DATABASE_QUEUE_LIMIT
  'DATABASE_CLOSED',   // the pool is closed (shutting down)
  'REDIS_TIMEOUT',     // no answer within REDIS_TIMEOUT_MS
  'REDIS_UNAVAILABLE', // not connected, the connection lost, or its retries spent
] as const;
export type DependencyErrorCode = typeof dependencyErrorCodes[number];

export class DependencyError extends Error {
  override name = 'DependencyError';
  constructor(readonly code: DependencyErrorCode, message: string, options?: { cause?: unknown }) {
    super(message, options);
  }
}

/**
 * Driver codes that mean the server is unreachable, gone or too busy (docs/decisions/20-dependency-errors.md):
 * the socket's (Node), mysql2's for a lost or timed-out protocol, MariaDB's own refusals, SQLite's locks.
 */
const connectionErrorCodes = new Set([
  'ECONNREFUSED', 'ECONNRESET', 'ETIMEDOUT', 'EPIPE', 'ENOTFOUND', 'EHOSTUNREACH',
  'PROTOCOL_CONNECTION_LOST', 'ER_CON_COUNT_ERROR', 'PROTOCOL_SEQUENCE_TIMEOUT',
  'ER_SERVER_SHUTDOWN', 'ER_CONNECTION_KILLED', 'SQLITE_BUSY', 'SQLITE_LOCKED',
  ...dependencyErrorCodes,
]);

/**
 * True when an error means "a dependency is down or busy", not "the code is wrong". Decided by
 * codes alone, never by message text: driver messages change between versions, and MariaDB's with
 * its lc_messages. mysql2 marks every error that broke its connection fatal.
 */
export function isDependencyDown(err: unknown): boolean {
  if (!err || typeof err !== 'object') return false;
  const e = err as { code?: unknown; fatal?: unknown };
  return (typeof e.code === 'string' && connectionErrorCodes.has(e.code)) || e.fatal === true;
}

/**
 * True when err is a foreign-key violation because the row referred to is gone (MySQL errno 1452,
 * SQLite's FOREIGN KEY failure): a write that lost a race with a delete. SQLite does not say which
 * key failed; MySQL does, and a violation naming another parent table than `parent` is not this one.
 */
export function isMissingParent(err: unknown, parent: string): boolean {
  if (!err || typeof err !== 'object') return false;
  const e = err as { code?: unknown; errno?: unknown; sqlMessage?: unknown };
  if (e.code === 'SQLITE_CONSTRAINT_FOREIGNKEY') return true;
  if (e.errno !== 1452 && e.code !== 'ER_NO_REFERENCED_ROW_2') return false;
  // The code has settled that it is a missing parent; only which one is left, and MariaDB sends
  // that in no field of its own, only in the message's constraint clause ("REFERENCES `articles`"),
  // which stays SQL whatever the server's lc_messages. Unreadable there, it is taken to be parent.
  const referenced = typeof e.sqlMessage === 'string' ? /REFERENCES `([^`]+)`/.exec(e.sqlMessage)?.[1] : undefined;
  return referenced === undefined || referenced === parent;
}
