// The comment form and delete button on an article page. Same service and rules as the JSON API.
import { Router } from '@koa/router';
import { commentInput } from '../comments/comment.schema.js';
import { renderArticle } from './article.pages.js';
import { setFlash } from '../sessions/session.js';
import { notFound } from '../core/errors.js';
import { fieldErrorsOf, formBody, userOrLogin } from './forms.js';
import type { Renderer } from './render.js';
import { requestOrigin, type RequestState } from '../core/state.js';
import type { AppDeps } from '../runtime/deps.js';
import { parseInput } from '../core/validation.js';
import { addComment, deleteComment } from '../comments/comment.service.js';
import { articleUrl } from './article.pages.js';


export function commentPages(deps: AppDeps, view: Renderer) {
  const { db } = deps.database;
  const router = new Router<RequestState>();

  router.post('/article/:slug/comments', async (ctx) => {
    const user = userOrLogin(ctx);
    if (!user) return;
    const slug = ctx.params.slug!;
    const { body = '' } = formBody(ctx);
    try {
      const comment = await addComment(db, user, slug, parseInput(commentInput, { body }, 'comment').body, requestOrigin(ctx));
      setFlash(ctx, comment.state === 'pending' ? 'info' : 'success', comment.state === 'pending' ? 'Comment held for moderation: only you can see it until a moderator approves it.' : 'Comment posted.');
      ctx.redirect(`${articleUrl(slug)}#comment-${comment.id}`);
    } catch (err) {
      await renderArticle(ctx, view, deps, slug, { body, errors: fieldErrorsOf(err) }, 422);
    }
  });

  router.post('/article/:slug/comments/:id/delete', async (ctx) => {
    const user = userOrLogin(ctx);
    if (!user) return;
    if (!/^\d{1,15}$/.test(ctx.params.id!)) throw notFound('comment');
    await deleteComment(db, user, ctx.params.slug!, Number(ctx.params.id));
    setFlash(ctx, 'success', 'Comment deleted.');
    ctx.redirect(`${articleUrl(ctx.params.slug!)}#comments`);
  });

  return router;
}
