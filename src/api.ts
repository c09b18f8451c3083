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
  const api = new Router<RequestState>({ prefix: '/api' });
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
  return api;
}
