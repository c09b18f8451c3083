// The JSON API under /api: CORS, token auth, then every feature's routes.
import cors from '@koa/cors';
import { Router } from '@koa/router';
import type { Next } from 'koa';
import type { Config } from './config.js';
import { articleRoutes } from './articles/article.routes.js';
import { commentRoutes } from './comments/comment.routes.js';
import { tokenAuth } from './middleware/auth.js';
import { isApiPath, type AppContext, type AppDeps, type RequestState } from './platform/state.js';
import { profileRoutes } from './profiles/profile.routes.js';
import { userRoutes } from './users/user.routes.js';

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

export function apiRouter(deps: AppDeps) {
  const api = new Router<RequestState>({ prefix: '/api' });
  api.use(tokenAuth(deps));
  for (const routes of [userRoutes, profileRoutes, articleRoutes, commentRoutes]) {
    const router = routes(deps);
    api.use(router.routes(), router.allowedMethods());
  }
  return api;
}
