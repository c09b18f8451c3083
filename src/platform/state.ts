// What the app is built from, and what one request carries in ctx.state.
import type { ParameterizedContext } from 'koa';
import type { Config } from '../config.js';
import type { DatabaseHandle } from './db.js';
import type { Logger } from './logger.js';
import type { Redis } from './redis.js';
import type { TokenSigner } from '../users/token.js';
import type { User } from '../users/user.service.js';

export interface AppDeps {
  config: Readonly<Config>;
  database: DatabaseHandle;
  logger: Logger;
  tokens: TokenSigner;
  /** Present when REDIS_URL is set. */
  redis?: Redis;
  /** The signing secret (tokens, cookies), shared by every worker. */
  secret: string;
}

export interface RequestState {
  requestId: string;
  /** The signed-in user, set by the auth layer. */
  user?: User;
  /** The raw token the user signed in with (API only). */
  token?: string;
  /** A signed-out visitor's CSRF token, once a form on this page has asked for it (middleware/session.ts). */
  csrfToken?: string;
  /**
   * Set by the response cache on every write; the auth layers call it once the writer is known (a
   * valid token; a signed-in session whose CSRF check passed), and only then is the cache invalidated.
   * Rejects with a 503 when the invalidation cannot be made.
   */
  authenticatedWrite?: () => Promise<void>;
  [key: string]: unknown;
}

export type AppContext = ParameterizedContext<RequestState>;

/** The JSON API's addresses: /api and below (not /apidocs). */
export function isApiPath(path: string): boolean {
  return path === '/api' || path.startsWith('/api/');
}
