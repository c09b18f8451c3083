// Cookie sessions for the HTML pages (never the API): a signed, httpOnly, SameSite=Lax cookie
// holding only a random id; the data (the user's public id, a CSRF token, a flash) lives in the
// shared store. The id changes at sign-in and the session is destroyed at sign-out.
// A signed-out visitor's form (sign in, sign up) takes its CSRF token from a signed cookie of its
// own instead, so reading a form writes nothing to the store: a crawler or a bot asking for /login
// over and over used to add one stored session per request.
import { createHmac, randomBytes, randomUUID } from 'node:crypto';
import type Koa from 'koa';
import type { Next } from 'koa';
import createSession from 'koa-session';
import { sessionStoreFor } from './store.js';
import { isApiPath, type AppContext, type User } from '../core/state.js';
import type { AppDeps } from '../runtime/deps.js';


export const SESSION_COOKIE = 'quire.sid';
/** The signed-out visitor's CSRF token (double-submit: the form field must match it); signed, httpOnly, gone when the browser closes. */
export const CSRF_COOKIE = 'quire.csrf';
const MAX_AGE = 14 * 86_400_000;
/** Both cookies: out of reach of scripts, and not sent on cross-site POSTs. */
const COOKIE_FLAGS = { httpOnly: true, sameSite: 'lax' } as const;

export interface Flash { type: 'success' | 'info' | 'error'; message: string }

interface SessionData {
  uid?: string;
  csrf?: string;
  flash?: Flash;
}

interface KoaSession extends SessionData {
  regenerate(): Promise<void> | undefined;
}


/** Cookie-signing keys derived from the shared secret, so every worker signs alike. */
export function cookieKeys(secret: string): string[] {
  return [createHmac('sha256', secret).update('quire cookie signing').digest('base64url')];
}

/**
 * The session of a page read (GET, HEAD) that came with no session cookie: nothing can be in it, and
 * no read writes one (flashes and sign-ins come with POSTs). Frozen, so a read that tried to write
 * would fail loudly instead of losing what it wrote.
 */
const BLANK_SESSION: KoaSession = Object.freeze({ regenerate: () => undefined });

/** The session, when the session layer has run for this request. */
function sessionOf(ctx: AppContext): KoaSession | undefined {
  if (!ctx.state.sessionLoaded) return undefined;
  if (ctx.state.blankSession) return BLANK_SESSION;
  return (ctx as unknown as { session: KoaSession | null }).session ?? undefined;
}

export function sessions(app: Koa, deps: Pick<AppDeps, 'database' | 'redis' | 'config'>) {
  const store = sessionStoreFor({ database: deps.database, redis: deps.redis, prefix: deps.config.REDIS_PREFIX });
  const middleware = createSession({
    key: SESSION_COOKIE,
    maxAge: MAX_AGE,
    ...COOKIE_FLAGS,
    signed: true,
    // secure is left unset: the cookie gets Secure exactly when ctx.secure, i.e. https directly or
    // through a proxy named in TRUST_PROXY.
    // renew, not rolling: the expiry slides forward while the user is active, but the store is
    // written at most once per half-lifetime instead of on every page view.
    renew: true,
    // koa-session makes an id for every page request, even one that never saves a session: a random
    // UUID (122 random bits, drawn from a pool Node refills in bulk) is far cheaper than
    // randomBytes(32) (docs/decisions/20-blank-session.md).
    genid: () => randomUUID(),
    store: {
      get: (key: string, maxAge: number | 'session' | undefined) => store.get(key, maxAge),
      set: (key: string, data: Record<string, unknown>, maxAge: number | 'session' | undefined) => store.set(key, data, maxAge),
      destroy: (key: string) => store.destroy(key),
    },
  } as Parameters<typeof createSession>[0], app);
  return async function session(ctx: AppContext, next: Next) {
    if (isApiPath(ctx.path)) return next();
    ctx.state.sessionLoaded = true;
    // koa-session would make an id, parse cookies and check for changes at the end only to find the
    // session empty and leave it unsaved (docs/decisions/20-blank-session.md).
    if ((ctx.method === 'GET' || ctx.method === 'HEAD') && !ctx.cookies.get(SESSION_COOKIE)) {
      ctx.state.blankSession = true;
      return next();
    }
    await middleware(ctx, next);
  };
}

/**
 * The public id of the user this request's session is signed in as, if any; a request
 * the session layer has not run for has none (site/current-user.ts loads the user by it).
 */
export function sessionUserId(ctx: AppContext): string | undefined {
  return sessionOf(ctx)?.uid;
}

/** Forgets the session's user (the account was deleted): the session goes on, signed out. */
export function forgetSessionUser(ctx: AppContext): void {
  const session = sessionOf(ctx);
  if (session) delete session.uid;
}

const newToken = () => randomBytes(32).toString('base64url');

/** The signed-out visitor's token from the CSRF cookie, when it came back signed and well formed. */
function cookieToken(ctx: AppContext): string | undefined {
  const token = ctx.cookies.get(CSRF_COOKIE, { signed: true });
  return token && /^[\w-]{43}$/.test(token) ? token : undefined;
}

/**
 * The CSRF token for a form on this page, made on first use (read-only visits make none). A
 * session that holds one (every signed-in session does) keeps using it; a signed-out visitor gets
 * one in the CSRF cookie, and the store is not written.
 */
export function csrfToken(ctx: AppContext): string {
  const session = sessionOf(ctx);
  if (!session) return '';
  if (session.csrf || session.uid) return (session.csrf ??= newToken());
  // Made once per request: a second form on the page must carry the same token as the first.
  ctx.state.csrfToken ??= cookieToken(ctx);
  if (!ctx.state.csrfToken) {
    ctx.state.csrfToken = newToken();
    ctx.cookies.set(CSRF_COOKIE, ctx.state.csrfToken, { ...COOKIE_FLAGS, signed: true, secure: ctx.secure, overwrite: true });
  }
  return ctx.state.csrfToken;
}

/** The token a state-changing request must carry: the session's, or else the signed-out visitor's cookie. */
export function expectedCsrfToken(ctx: AppContext): string | undefined {
  const session = sessionOf(ctx);
  if (!session) return undefined;
  return session.csrf ?? (session.uid ? undefined : cookieToken(ctx));
}

export function setFlash(ctx: AppContext, type: Flash['type'], message: string): void {
  const session = sessionOf(ctx);
  if (session) session.flash = { type, message };
}

export function takeFlash(ctx: AppContext): Flash | undefined {
  const session = sessionOf(ctx);
  const flash = session?.flash;
  if (flash) delete session.flash;
  return flash;
}

/** Ends the signed-out visitor's CSRF token at sign-in and sign-out: the next form gets a fresh one. */
function dropCookieToken(ctx: AppContext): void {
  if (ctx.cookies.get(CSRF_COOKIE)) ctx.cookies.set(CSRF_COOKIE, null, { signed: true });
  delete ctx.state.csrfToken;
}

/** Signs in: a new session id (no fixation), a new CSRF token, the user's public id. */
export async function signIn(ctx: AppContext, user: User): Promise<void> {
  const session = sessionOf(ctx);
  if (!session) throw new Error('signIn needs the session layer');
  session.uid = user.publicId;
  session.csrf = newToken();
  await session.regenerate();
  dropCookieToken(ctx);
  ctx.state.user = user;
}

/** Signs out: the session is deleted from the store and the cookie cleared. */
export function signOut(ctx: AppContext): void {
  (ctx as unknown as { session: KoaSession | null }).session = null;
  dropCookieToken(ctx);
  delete ctx.state.user;
}
