// JSON API for comments on an article.
import { Router } from '@koa/router';
import { requestOrigin, requireUser } from '../core/state.js';
import { profileJson } from '../profiles/profile.routes.js';
import { commentInput } from './comment.schema.js';
import { notFound } from '../core/errors.js';
import type { RequestState } from '../core/state.js';
import type { AppDeps } from '../runtime/deps.js';
import { parseBody } from '../core/validation.js';
import { addComment, deleteComment, listComments, type Comment } from './comment.service.js';

export function commentJson(c: Comment) {
  return {
    id: c.id,
    createdAt: new Date(c.createdAt).toISOString(),
    updatedAt: new Date(c.updatedAt).toISOString(),
    body: c.body,
    author: profileJson(c.author),
    // Our extension: a comment held for moderation says so (to its writer, the only one who sees it).
    ...(c.state !== 'published' && { state: c.state }),
  };
}

export function commentRoutes({ database: { db } }: AppDeps) {
  const router = new Router<RequestState>();

  router.get('/articles/:slug/comments', async (ctx) => {
    const comments = await listComments(db, ctx.state.user, ctx.params.slug!);
    ctx.body = { comments: comments.map(commentJson) };
  });

  router.post('/articles/:slug/comments', async (ctx) => {
    const user = requireUser(ctx);
    const input = parseBody(commentInput, ctx.request.body, 'comment');
    ctx.status = 201;
    ctx.body = { comment: commentJson(await addComment(db, user, ctx.params.slug!, input.body, requestOrigin(ctx))) };
  });

  router.delete('/articles/:slug/comments/:id', async (ctx) => {
    const user = requireUser(ctx);
    if (!/^\d{1,15}$/.test(ctx.params.id!)) throw notFound('comment');
    await deleteComment(db, user, ctx.params.slug!, Number(ctx.params.id));
    ctx.status = 204;
  });

  return router;
}
