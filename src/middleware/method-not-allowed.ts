// The routers' answer to a method an address does not take, as the app's own 405: @koa/router's
// allowedMethods() answers 501 in plain text for a method it does not know (PROPFIND, PURGE, LOCK …)
// and a bare 405 for one it knows; both become AppError('not_allowed'), the error handler's to shape.
import type { Next } from 'koa';
import { AppError } from '../core/errors.js';
import type { AppContext } from '../core/state.js';

const nothingBelow = async () => undefined;

type Layer = (ctx: AppContext, next: Next) => unknown;

/**
 * Wraps a router's allowedMethods(), placed right after its routes(). The check runs before the
 * layers below, not after them as allowedMethods() alone does: below the pages sits the page 404,
 * which throws, so the router never saw a wrong method for a page. Allow keeps the methods of the
 * matched routes; with none (an address no route has), an empty Allow would say "no method at all"
 * and is left out. Takes any router's allowedMethods(): each types the context with its own fields.
 */
export function methodNotAllowed(routerAllowedMethods: (ctx: never, next: Next) => unknown): (ctx: AppContext, next: Next) => Promise<void> {
  const allowedMethods = routerAllowedMethods as Layer;
  return async function methodNotAllowed(ctx: AppContext, next: Next) {
    await allowedMethods(ctx, nothingBelow);
    if (ctx.status === 405 || ctx.status === 501) {
      if (!ctx.response.get('Allow')) ctx.remove('Allow');
      throw new AppError('not_allowed', { method: ['is not allowed'] });
    }
    // OPTIONS, answered with the address's Allow.
    if (ctx.status !== 404) return;
    await next();
  };
}
