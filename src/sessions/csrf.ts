// CSRF protection for cookie-authenticated pages: every state-changing request outside /api must
// carry the form's token (form field _csrf or header X-CSRF-Token), else 403 and nothing runs: the
// session's token once signed in, the visitor's own CSRF cookie before that (sessions/session.ts).
// The API needs none: it authenticates with a header a foreign page cannot send.
import { timingSafeEqual } from 'node:crypto';
import type { Next } from 'koa';
import { AppError } from '../core/errors.js';
import { isApiPath, type AppContext } from '../core/state.js';
import { expectedCsrfToken } from './session.js';

const safeMethods = new Set(['GET', 'HEAD', 'OPTIONS']);

function sameToken(a: string, b: string): boolean {
  const x = Buffer.from(a);
  const y = Buffer.from(b);
  return x.length === y.length && timingSafeEqual(x, y);
}

export function csrfProtection() {
  return async function csrfProtection(ctx: AppContext, next: Next) {
    if (safeMethods.has(ctx.method) || isApiPath(ctx.path)) return next();
    const body = ctx.request.body as Record<string, unknown> | undefined;
    const sent = typeof body?._csrf === 'string' ? body._csrf : ctx.get('X-CSRF-Token');
    const expected = expectedCsrfToken(ctx);
    if (!expected || !sent || !sameToken(sent, expected)) {
      throw new AppError('forbidden', { csrf: ['token is missing or does not match'] });
    }
    // A signed-in user's checked write may change what readers see: the response cache is invalidated
    // now. A signed-out visitor's (signing up or in) changes nothing any cached page shows.
    if (ctx.state.user) await ctx.state.authenticatedWrite?.();
    await next();
  };
}
