// HTML pages for reading: home (newest, or the signed-in user's feed), tag, search, one article
// with its comments, and the favourite buttons. Same services as the JSON API.
import { Router } from '@koa/router';
import { commentPageOn } from '../comments/comment.service.js';
import type { FieldErrors } from '../core/errors.js';
import { formBody, localPath, userOrLogin } from './forms.js';
import { pageOf, pager } from './paging.js';
import type { Renderer } from './render.js';
import type { AppContext, RequestState } from '../core/state.js';
import type { AppDeps } from '../runtime/deps.js';
import type { ArticleFilter } from '../articles/article.repo.js';
import * as articles from '../articles/article.service.js';

export const PER_PAGE = 20;
/** Comments on one page of an article, newest first: a flood of them cannot grow the page without bound. */
export const COMMENTS_PER_PAGE = 50;
const POPULAR_TAGS = 20;

/** An article's page address. */
export const articleUrl = (slug: string) => `/article/${encodeURIComponent(slug)}`;

async function renderList(ctx: AppContext, view: Renderer, deps: AppDeps, vars: { title: string; description: string; heading?: string; tab: string; filter?: ArticleFilter; tag?: string }) {
  const { db } = deps.database;
  const { page, limit, offset } = pageOf(ctx, PER_PAGE);
  const list = vars.tab === 'following'
    ? articles.feed(db, ctx.state.user!, limit, offset)
    : articles.listArticles(db, ctx.state.user, vars.filter ?? {}, limit, offset);
  const [result, tags] = await Promise.all([list, articles.listTags(db, POPULAR_TAGS)]);
  view.page(ctx, 'articles/home', { ...vars, ...result, tags, pager: pager(ctx, page, result.articlesCount, PER_PAGE) });
}

/** The article page, also re-rendered by the comment form when a comment is not valid. */
export async function renderArticle(ctx: AppContext, view: Renderer, deps: AppDeps, slug: string, form: { body?: string; errors?: FieldErrors } = {}, status = 200) {
  const { db } = deps.database;
  const article = await articles.getArticle(db, ctx.state.user, slug);
  // ?page=N of the comments, newest first. The comment form's re-render (a POST, at another address) shows the newest, unpaged.
  const reading = ctx.method === 'GET';
  const { page, limit, offset } = reading ? pageOf(ctx, COMMENTS_PER_PAGE) : { page: 1, limit: COMMENTS_PER_PAGE, offset: 0 };
  const { comments, commentsCount } = await commentPageOn(db, ctx.state.user, article.id, limit, offset);
  const isAuthor = ctx.state.user?.id === article.authorId;
  view.page(ctx, 'articles/article', {
    title: article.title, description: article.description, article, comments, commentsCount, isAuthor, form,
    commentPager: reading ? pager(ctx, page, commentsCount, COMMENTS_PER_PAGE) : undefined,
  }, status);
}

export function articlePages(deps: AppDeps, view: Renderer) {
  const { db } = deps.database;
  const router = new Router<RequestState>();

  router.get('/', async (ctx) => {
    if (ctx.query.feed === 'following' && !userOrLogin(ctx)) return;
    const tab = ctx.query.feed === 'following' ? 'following' : 'global';
    await renderList(ctx, view, deps, {
      title: tab === 'following' ? 'Your feed' : 'Newest articles',
      description: 'Quire: articles by its writers, newest first.',
      tab,
    });
  });

  router.get('/tag/:tag', async (ctx) => {
    const tag = ctx.params.tag!;
    await renderList(ctx, view, deps, { title: `#${tag}`, description: `Articles tagged ${tag}.`, tab: 'tag', tag, filter: { tag } });
  });

  router.get('/search', async (ctx) => {
    const q = typeof ctx.query.q === 'string' ? ctx.query.q.trim().slice(0, 200) : '';
    const { page, limit, offset } = pageOf(ctx, PER_PAGE);
    const result = q ? await articles.listArticles(db, ctx.state.user, { q }, limit, offset) : { articles: [], articlesCount: 0 };
    view.page(ctx, 'articles/search', {
      title: q ? `Search: ${q}` : 'Search',
      description: 'Search the articles on Quire by keyword.',
      q, ...result, pager: pager(ctx, page, result.articlesCount, PER_PAGE),
    });
  });

  router.get('/article/:slug', (ctx) => renderArticle(ctx, view, deps, ctx.params.slug!));

  for (const action of ['favorite', 'unfavorite'] as const) {
    router.post(`/article/:slug/${action}`, async (ctx) => {
      const user = userOrLogin(ctx);
      if (!user) return;
      const slug = ctx.params.slug!;
      if (action === 'favorite') await articles.favoriteArticle(db, user, slug);
      else await articles.unfavoriteArticle(db, user, slug);
      ctx.redirect(localPath(formBody(ctx).back, articleUrl(slug)));
    });
  }

  return router;
}
