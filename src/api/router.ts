// The JSON API under /api: CORS, token auth, then every feature's routes.
import cors from '@koa/cors';
import { Router } from '@koa/router';
import type { Middleware, Next } from 'koa';
import type { Config } from '../config.js';
import { adminRoutes } from '../admin/admin.routes.js';
import { articleRoutes } from '../articles/article.routes.js';
import { commentRoutes } from '../comments/comment.routes.js';
import { moderationRoutes } from '../comments/moderation.routes.js';
import { accountRoutes } from '../account/account.routes.js';
import { tokenAuth } from './token-auth.js';
import { methodNotAllowed } from '../middleware/method-not-allowed.js';
import { writeLimits } from '../limits/write-limits.js';
import { isApiPath, type AppContext, type RequestState } from '../core/state.js';
import type { AppDeps } from '../runtime/deps.js';
import { profileRoutes } from '../profiles/profile.routes.js';
import { userRoutes } from '../users/user.routes.js';

/**
 * CORS for every /api address, matched or not: it answers preflights itself, and its headers stay
 * on error responses, so a browser sees the API's 404 or 422 rather than a CORS failure.
 */
export function apiCors(config: Pick<Config, 'CORS_ORIGIN'>) {
  const origin = config.CORS_ORIGIN;
  const handler = cors({
    origin: origin === '*' ? '*' : (ctx) => (origin.split(',').includes(ctx.get('Origin')) ? ctx.get('Origin') : ''),
    allowHeaders: ['Authorization', 'Content-Type', 'X-Requested-With'],
    allowMethods: ['GET', 'HEAD', 'POST', 'PUT', 'DELETE', 'OPTIONS'],
    exposeHeaders: ['X-Request-Id'],
    maxAge: 86400,
  });
  return async function apiCors(ctx: AppContext, next: Next) {
    if (!isApiPath(ctx.path)) return next();
    return handler(ctx, next);
  };
}

function apiRouter(deps: AppDeps) {
  const api = new Router<RequestState>({ prefix: '/api' });
  api.use(tokenAuth(deps));
  // After the token is read, so a write counts against its account as well as its address.
  api.use(writeLimits(deps));
  for (const routes of [userRoutes, profileRoutes, articleRoutes, commentRoutes, moderationRoutes, accountRoutes, adminRoutes]) {
    const router = routes(deps);
    api.use(router.routes(), router.allowedMethods());
  }
  return api;
}

/** The API's routes and their 405 answers, entered by /api addresses only: a page request is not matched against every API route. */
export function apiRoutes(deps: AppDeps) {
  const api = apiRouter(deps);
  // Typed as plain Koa middleware: the router adds its own fields to the context as it matches.
  const routes = api.routes() as unknown as Middleware<RequestState>;
  const allowedMethods = methodNotAllowed(api.allowedMethods() as unknown as Middleware<RequestState>);
  return function apiRoutes(ctx: AppContext, next: Next) {
    if (!isApiPath(ctx.path)) return next();
    return routes(ctx, () => allowedMethods(ctx, next));
  };
}
