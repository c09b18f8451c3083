// The JSON API under /api: CORS, token auth, then every feature's routes.
import cors from '@koa/cors';
import { Router } from '@koa/router';
import { articleRoutes } from './articles/article.routes.js';
import { commentRoutes } from './comments/comment.routes.js';
import { tokenAuth } from './middleware/auth.js';
import type { AppDeps, RequestState } from './platform/state.js';
import { profileRoutes } from './profiles/profile.routes.js';
import { userRoutes } from './users/user.routes.js';

export function apiRouter(deps: AppDeps) {
  const prefix = '/api';
  const api = new Router<RequestState>({ prefix });
  const origin = deps.config.CORS_ORIGIN;
  api.use(cors({
    origin: origin === '*' ? '*' : (ctx) => (origin.split(',').includes(ctx.get('Origin')) ? ctx.get('Origin') : ''),
    allowHeaders: ['Authorization', 'Content-Type', 'X-Requested-With'],
    allowMethods: ['GET', 'HEAD', 'POST', 'PUT', 'DELETE', 'OPTIONS'],
    exposeHeaders: ['X-Request-Id'],
    maxAge: 86400,
  }));
  api.use(tokenAuth(deps));
  for (const routes of [userRoutes, profileRoutes, articleRoutes, commentRoutes]) {
    const router = routes(deps);
    api.use(router.routes(), router.allowedMethods());
  }
  // The router runs its middleware (CORS above) only when a route matches both path and method, and
  // none is for OPTIONS: give every path one, so CORS answers the browser's preflight.
  const paths = new Set(api.stack.flatMap((layer) => (layer.methods.length > 0 && typeof layer.path === 'string' ? [layer.path] : [])));
  for (const path of paths) api.options(path.slice(prefix.length), (ctx) => { ctx.status = 204; });
  return api;
}
