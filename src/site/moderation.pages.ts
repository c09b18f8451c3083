// /admin/moderation: the queue (held comments with their decisions, open reports, the log of
// actions), and the report form readers reach from an article or a comment. The rules are the
// moderation service's: editors see everything, an article's author the comments on their own.
import { Router } from '@koa/router';
import type { AppContext, RequestState } from '../core/state.js';
import type { AppDeps } from '../runtime/deps.js';
import { notFound } from '../core/errors.js';
import { setFlash } from '../sessions/session.js';
import { moderateComment, moderationQueue, report, resolveReport } from '../comments/moderation.service.js';
import { getArticle } from '../articles/article.service.js';
import { adminPage } from './admin.pages.js';
import { fieldErrorsOf, formBody, userOrLogin } from './forms.js';
import type { Renderer } from './render.js';
import { articleUrl } from './article.pages.js';

const idParam = (value: string | undefined, what: string) => {
  if (!value || !/^\d{1,15}$/.test(value)) throw notFound(what);
  return Number(value);
};

const DECISION_WORDS: Record<string, string> = { published: 'approved', spam: 'marked as spam', removed: 'removed' };

export function moderationPages(deps: AppDeps, view: Renderer) {
  const { db } = deps.database;
  const router = new Router<RequestState>();

  router.get('/admin/moderation', async (ctx) => {
    const user = userOrLogin(ctx);
    if (!user) return;
    const queue = await moderationQueue(db, user);
    adminPage(view, ctx, user, 'moderation', 'admin/moderation', {
      title: 'Moderation', description: 'Comments held for moderation, reports, and what moderators did.', ...queue,
    });
  });

  router.post('/admin/moderation/comments/:id', async (ctx) => {
    const user = userOrLogin(ctx);
    if (!user) return;
    const state = formBody(ctx).state ?? '';
    await moderateComment(db, user, idParam(ctx.params.id, 'comment'), state);
    setFlash(ctx, 'success', `Comment ${DECISION_WORDS[state] ?? state}.`);
    ctx.redirect('/admin/moderation');
  });

  router.post('/admin/moderation/reports/:id/resolve', async (ctx) => {
    const user = userOrLogin(ctx);
    if (!user) return;
    await resolveReport(db, user, idParam(ctx.params.id, 'report'));
    setFlash(ctx, 'success', 'Report resolved.');
    ctx.redirect('/admin/moderation');
  });

  // Reporting an article, or one of its comments (?comment=ID): a reason, then back to the article.
  const reportPage = async (ctx: AppContext, slug: string, comment: string | undefined, vars: object, status = 200) => {
    const article = await getArticle(db, ctx.state.user, slug);
    view.page(ctx, 'articles/report', {
      title: `Report ${comment ? 'a comment on' : ''} “${article.title}”`, description: 'Tell the moderators what is wrong.',
      article, comment, form: {}, errors: {}, ...vars,
    }, status);
  };
  router.get('/article/:slug/report', async (ctx) => {
    if (!userOrLogin(ctx)) return;
    const comment = typeof ctx.query.comment === 'string' && /^\d{1,15}$/.test(ctx.query.comment) ? ctx.query.comment : undefined;
    await reportPage(ctx, ctx.params.slug!, comment, {});
  });
  router.post('/article/:slug/report', async (ctx) => {
    const user = userOrLogin(ctx);
    if (!user) return;
    const slug = ctx.params.slug!;
    const { reason = '', comment } = formBody(ctx);
    const commentId = comment && /^\d{1,15}$/.test(comment) ? Number(comment) : undefined;
    try {
      await report(db, user, commentId === undefined ? { type: 'article', slug } : { type: 'comment', slug, commentId }, reason);
      setFlash(ctx, 'success', 'Thank you: the moderators will look at it.');
      ctx.redirect(articleUrl(slug));
    } catch (err) {
      await reportPage(ctx, slug, comment, { form: { reason }, errors: fieldErrorsOf(err) }, 422);
    }
  });

  return router;
}
