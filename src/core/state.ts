// What one request carries in ctx.state: every key, declared here, with the layer that sets it.
import type { ParameterizedContext } from 'koa';
import { unauthorized } from './errors.js';

/** What an account may do is named by its role (the capability table: users/roles.ts). */
export type Role = 'reader' | 'contributor' | 'author' | 'editor' | 'admin';
/** Suspended accounts may sign in and read but do nothing else; banned ones cannot sign in at all. */
export type AccountStatus = 'active' | 'suspended' | 'banned';

/**
 * The account a request acts for, as the auth layers set it (the API's token, the pages' session).
 * users/ builds it from a row; every layer above reads it from here. Never a banned account: the
 * auth layers treat its token or session as signed out.
 */
export interface User {
  id: number;
  publicId: string;
  username: string;
  email: string;
  bio: string | null;
  image: string | null;
  role: Role;
  status: AccountStatus;
}

export interface RequestState {
  /** Set by middleware/request-id.ts, first thing: the error handler and the logs name the request by it. */
  requestId: string;
  /** The signed-in user: the API's token (api/token-auth.ts) or the page's session (site/current-user.ts). */
  user?: User;
  /** The raw token the user signed in with (API only). */
  token?: string;
  /** A signed-out visitor's CSRF token, once a form on this page has asked for it (sessions/session.ts). */
  csrfToken?: string;
  /**
   * Set by the response cache on every write; the auth layers call it once the writer is known (a
   * valid token; a signed-in session whose CSRF check passed), and only then is the cache invalidated.
   * Rejects with a 503 when the invalidation cannot be made. See src/cache/README.md.
   */
  authenticatedWrite?: () => Promise<void>;
  /**
   * A route's say on the response cache (cache/response-cache.ts): true opts a response in (rendered
   * pages for signed-out readers do), false keeps it out. Unset: the route's default in cache/cache-key.ts.
   */
  cacheable?: boolean;
  /**
   * The body's encoded copies, set by the response cache (cache/response-cache.ts) on a miss it stores
   * and on every hit it replays: the compression layer (middleware/compress.ts) sends them while
   * ctx.body is still `body`, rather than compress it again. See src/cache/README.md.
   */
  precompressed?: { readonly body: Buffer; readonly gzip?: Buffer; readonly br?: Buffer };
  /** The session layer has run for this request (sessions/session.ts): ctx.session may be read. */
  sessionLoaded?: boolean;
  /** The request carried no session cookie, so its session is the shared empty one, never stored. */
  blankSession?: boolean;
}

export type AppContext = ParameterizedContext<RequestState>;

/** The JSON API's addresses: /api and below (not /apidocs). */
export function isApiPath(path: string): boolean {
  return path === '/api' || path.startsWith('/api/');
}

/**
 * The address this request came to, as scheme://host (which a trusted proxy may set). Not Koa 3's
 * ctx.origin: that is the request's Origin header, which any caller writes.
 */
export function requestOrigin(ctx: AppContext): string {
  return `${ctx.protocol}://${ctx.host}`;
}

/** The signed-in user of an API request, or the contract's 401 when the request carries no token. */
export function requireUser(ctx: AppContext): User {
  if (!ctx.state.user) throw unauthorized('token', 'is missing');
  return ctx.state.user;
}
