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
export const forbidden = (what: string) => new AppError('forbidden', { [what]: ['forbidden'] });
export const conflict = (field: string) => new AppError('conflict', { [field]: ['has already been taken'] });
export const unauthorized = (field: string, message: string) => new AppError('unauthorized', { [field]: [message] });
export const unavailable = () => new AppError('unavailable', { service: ['unavailable, try again'] });

const connectionErrorCodes = new Set([
  'ECONNREFUSED', 'ECONNRESET', 'ETIMEDOUT', 'EPIPE', 'ENOTFOUND', 'EHOSTUNREACH',
  'PROTOCOL_CONNECTION_LOST', 'ER_CON_COUNT_ERROR', 'PROTOCOL_SEQUENCE_TIMEOUT',
  'ER_SERVER_SHUTDOWN', 'ER_CONNECTION_KILLED', 'SQLITE_BUSY', 'SQLITE_LOCKED',
  // Given up on by Quire's own deadlines (db/mysql-pool.ts): no connection in time, or too many waiting for one.
  'DATABASE_TIMEOUT', 'DATABASE_BUSY',
]);

/** True when an error means "a dependency is down or busy", not "the code is wrong". */
export function isDependencyDown(err: unknown): boolean {
  if (!err || typeof err !== 'object') return false;
  const e = err as { code?: unknown; fatal?: unknown; message?: unknown };
  if (typeof e.code === 'string' && connectionErrorCodes.has(e.code)) return true;
  if (e.fatal === true) return true;
  return typeof e.message === 'string' && /Pool is closed|Connection is closed|Can't add new command when connection is in closed state|enableOfflineQueue|Reached the max retries per request|ECONNREFUSED|Command timed out|Socket timeout/.test(e.message);
}

/**
 * True when err is a foreign-key violation because the row referred to is gone (MySQL errno 1452,
 * SQLite's FOREIGN KEY failure): a write that lost a race with a delete. SQLite does not say which
 * key failed; MySQL does, and a violation naming another parent table than `parent` is not this one.
 */
export function isMissingParent(err: unknown, parent: string): boolean {
  if (!err || typeof err !== 'object') return false;
  const e = err as { code?: unknown; errno?: unknown; message?: unknown };
  if (e.code === 'SQLITE_CONSTRAINT_FOREIGNKEY') return true;
  if (e.errno !== 1452 && e.code !== 'ER_NO_REFERENCED_ROW_2') return false;
  const referenced = typeof e.message === 'string' ? /REFERENCES `([^`]+)`/.exec(e.message)?.[1] : undefined;
  return referenced === undefined || referenced === parent;
}
