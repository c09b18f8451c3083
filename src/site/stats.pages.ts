// /admin/stats: the access-log figures for a chosen period, with server-drawn SVG charts, in the
// admin area. For whoever may view stats: signed out → /login, signed in without it → 403.
import { Router } from '@koa/router';
import { forbidden } from '../core/errors.js';
import { can } from '../users/roles.js';
import { adminPage } from './admin.pages.js';
import { userOrLogin } from './forms.js';
import type { Renderer } from './render.js';
import type { RequestState } from '../core/state.js';
import type { AppDeps } from '../runtime/deps.js';
import { choosePeriod, PERIODS, statsForPeriod } from '../stats/stats.service.js';

export function statsPages(deps: AppDeps, view: Renderer) {
  const router = new Router<RequestState>();

  router.get('/admin/stats', async (ctx) => {
    const user = userOrLogin(ctx);
    if (!user) return;
    if (!can(user, 'view_stats')) throw forbidden('stats');
    const period = choosePeriod(ctx.query);
    const stats = await statsForPeriod(deps.config.LOG_DIR, period);
    adminPage(view, ctx, user, 'stats', 'stats/stats', {
      title: 'Site statistics',
      description: 'Who reads what, and how fast it is served.',
      periods: [...PERIODS].map(([key, p]) => ({ key, label: p.label })),
      from: typeof ctx.query.from === 'string' ? ctx.query.from : '',
      to: typeof ctx.query.to === 'string' ? ctx.query.to : '',
      ...stats,
    });
  });

  return router;
}
