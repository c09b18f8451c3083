// JSON API for moderation (our extension; docs/api.md): the queue, decisions on held comments,
// readers' reports of comments and articles, and resolving a report.
import { Router } from '@koa/router';
import { z } from 'zod';
import { notFound } from '../core/errors.js';
import { requireUser, type RequestState } from '../core/state.js';
import { parseBody, requiredText } from '../core/validation.js';
import type { AppDeps } from '../runtime/deps.js';
import { moderateComment, moderationQueue, report, resolveReport } from './moderation.service.js';

const decisionInput = z.object({ state: z.string({ error: "can't be blank" }) });
const reportInput = z.object({ reason: requiredText(500) });

const idOf = (value: string | undefined, what: string) => {
  if (!value || !/^\d{1,15}$/.test(value)) throw notFound(what);
  return Number(value);
};

export function moderationRoutes({ database: { db } }: AppDeps) {
  const router = new Router<RequestState>();

  router.get('/moderation', async (ctx) => {
    const queue = await moderationQueue(db, requireUser(ctx));
    ctx.body = {
      comments: queue.comments.map((c) => ({ ...c, createdAt: new Date(c.createdAt).toISOString() })),
      reports: queue.reports.map((r) => ({ ...r, createdAt: new Date(r.createdAt).toISOString() })),
      log: queue.log.map((l) => ({ ...l, createdAt: new Date(l.createdAt).toISOString() })),
    };
  });

  router.put('/moderation/comments/:id', async (ctx) => {
    const user = requireUser(ctx);
    const { state } = parseBody(decisionInput, ctx.request.body, 'comment');
    await moderateComment(db, user, idOf(ctx.params.id, 'comment'), state);
    ctx.body = { comment: { id: Number(ctx.params.id), state } };
  });

  router.put('/moderation/reports/:id', async (ctx) => {
    await resolveReport(db, requireUser(ctx), idOf(ctx.params.id, 'report'));
    ctx.status = 204;
  });

  router.post('/articles/:slug/report', async (ctx) => {
    const { reason } = parseBody(reportInput, ctx.request.body, 'report');
    const id = await report(db, requireUser(ctx), { type: 'article', slug: ctx.params.slug! }, reason);
    ctx.status = 201;
    ctx.body = { report: { id } };
  });

  router.post('/articles/:slug/comments/:id/report', async (ctx) => {
    const { reason } = parseBody(reportInput, ctx.request.body, 'report');
    const id = await report(db, requireUser(ctx), { type: 'comment', slug: ctx.params.slug!, commentId: idOf(ctx.params.id, 'comment') }, reason);
    ctx.status = 201;
    ctx.body = { report: { id } };
  });

  return router;
}
