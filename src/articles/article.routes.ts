// JSON API for articles, the feed, favourites and tags.
import { Router } from '@koa/router';
import { requireUser } from '../core/state.js';
import { profileJson } from '../profiles/profile.routes.js';
import type { AppContext, RequestState } from '../core/state.js';
import type { AppDeps } from '../runtime/deps.js';
import { parseBody, parseInput, queryInt } from '../core/validation.js';
import { createArticleInput, listQuery, updateArticleInput } from './article.schema.js';
import * as articles from './article.service.js';
import type { Article, ArticlePage, ArticleSummary } from './article.service.js';

/** The contract's list item: an explicit allow-list of fields, no body. */
export function articleSummaryJson(a: ArticleSummary) {
  return {
    slug: a.slug,
    title: a.title,
    description: a.description,
    tagList: a.tagList,
    createdAt: new Date(a.createdAt).toISOString(),
    updatedAt: new Date(a.updatedAt).toISOString(),
    favorited: a.favorited,
    favoritesCount: a.favoritesCount,
    author: profileJson(a.author),
  };
}

export const articleJson = (a: Article) => ({ article: { ...articleSummaryJson(a), body: a.body } });
const pageJson = (page: ArticlePage) => ({ articles: page.articles.map(articleSummaryJson), articlesCount: page.articlesCount });

/**
 * limit 1–100 (default 20) and offset 0–1,000,000,000 (default 0), in plain decimal digits: anything
 * else ("-1", "abc", "1e9", a repeated parameter) is a 422; an offset past the end is an empty page.
 */
export function paging(ctx: AppContext) {
  return {
    limit: queryInt(ctx.query.limit, 'limit', 20, 1, 100),
    offset: queryInt(ctx.query.offset, 'offset', 0, 0, 1_000_000_000),
  };
}

export function articleRoutes({ database: { db } }: AppDeps) {
  const router = new Router<RequestState>();

  router.get('/articles', async (ctx) => {
    const query = parseInput(listQuery, ctx.query, 'query');
    const { limit, offset } = paging(ctx);
    const filter = { tag: query.tag, author: query.author, favoritedBy: query.favorited, q: query.q };
    ctx.body = pageJson(await articles.listArticles(db, ctx.state.user, filter, limit, offset));
  });

  router.get('/articles/feed', async (ctx) => {
    const user = requireUser(ctx);
    const { limit, offset } = paging(ctx);
    ctx.body = pageJson(await articles.feed(db, user, limit, offset));
  });

  router.post('/articles', async (ctx) => {
    const user = requireUser(ctx);
    const input = parseBody(createArticleInput, ctx.request.body, 'article');
    ctx.status = 201;
    ctx.body = articleJson(await articles.createArticle(db, user, input));
  });

  router.get('/articles/:slug', async (ctx) => {
    ctx.body = articleJson(await articles.getArticle(db, ctx.state.user, ctx.params.slug!));
  });

  router.put('/articles/:slug', async (ctx) => {
    const user = requireUser(ctx);
    const input = parseBody(updateArticleInput, ctx.request.body, 'article');
    ctx.body = articleJson(await articles.updateArticle(db, user, ctx.params.slug!, input));
  });

  router.delete('/articles/:slug', async (ctx) => {
    await articles.deleteArticle(db, requireUser(ctx), ctx.params.slug!);
    ctx.status = 204;
  });

  router.post('/articles/:slug/favorite', async (ctx) => {
    const user = requireUser(ctx);
    await articles.favoriteArticle(db, user, ctx.params.slug!);
    ctx.body = articleJson(await articles.getArticle(db, user, ctx.params.slug!));
  });

  router.delete('/articles/:slug/favorite', async (ctx) => {
    const user = requireUser(ctx);
    await articles.unfavoriteArticle(db, user, ctx.params.slug!);
    ctx.body = articleJson(await articles.getArticle(db, user, ctx.params.slug!));
  });

  router.get('/tags', async (ctx) => {
    ctx.body = { tags: await articles.listTags(db) };
  });

  return router;
}
