// A writer's page (/@username): their articles or their favourites, and the follow button.
import { Router } from '@koa/router';
import { listArticles } from '../articles/article.service.js';
import { PER_PAGE } from './article.pages.js';
import { formBody, localPath, userOrLogin } from './forms.js';
import { pageOf, pager } from './paging.js';
import type { Renderer } from './render.js';
import type { AppContext, RequestState } from '../core/state.js';
import type { AppDeps } from '../runtime/deps.js';
import { followUser, getProfile, unfollowUser } from '../profiles/profile.service.js';

export function profilePages(deps: AppDeps, view: Renderer) {
  const { db } = deps.database;
  const router = new Router<RequestState>();

  async function renderProfile(ctx: AppContext, tab: 'articles' | 'favorites') {
    const username = ctx.params.username!;
    const profile = await getProfile(db, ctx.state.user, username);
    const { page, limit, offset } = pageOf(ctx, PER_PAGE);
    const filter = tab === 'articles' ? { author: profile.username } : { favoritedBy: profile.username };
    const result = await listArticles(db, ctx.state.user, filter, limit, offset);
    view.page(ctx, 'profiles/profile', {
      title: tab === 'articles' ? `@${profile.username}` : `Favourites of @${profile.username}`,
      description: profile.bio ? profile.bio.slice(0, 160) : `Articles by @${profile.username} on Quire.`,
      profile, tab, ...result,
      isSelf: ctx.state.user?.username === profile.username,
      pager: pager(ctx, page, result.articlesCount, PER_PAGE),
    });
  }

  router.get('/@:username', (ctx) => renderProfile(ctx, 'articles'));
  router.get('/@:username/favorites', (ctx) => renderProfile(ctx, 'favorites'));

  for (const action of ['follow', 'unfollow'] as const) {
    router.post(`/@:username/${action}`, async (ctx) => {
      const user = userOrLogin(ctx);
      if (!user) return;
      const username = ctx.params.username!;
      if (action === 'follow') await followUser(db, user, username);
      else await unfollowUser(db, user, username);
      ctx.redirect(localPath(formBody(ctx).back, `/@${encodeURIComponent(username)}`));
    });
  }

  return router;
}
