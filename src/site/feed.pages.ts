// Machine-read pages: the RSS feed of the newest articles and the sitemap, with absolute URLs
// built from the request's origin (which a trusted proxy may set).
import { Router } from '@koa/router';
import type { Renderer } from './render.js';
import type { AppContext, RequestState } from '../core/state.js';
import type { AppDeps } from '../runtime/deps.js';
import * as articles from '../articles/article.service.js';

const FEED_SIZE = 20;
/** The sitemap protocol's limit for one file. */
const SITEMAP_SIZE = 50_000;

/** Koa 3's ctx.origin is the Origin request header; this is the site's own. */
const siteOrigin = (ctx: AppContext) => `${ctx.protocol}://${ctx.host}`;

export function feedPages(deps: AppDeps, view: Renderer) {
  const { db } = deps.database;
  const router = new Router<RequestState>();

  router.get('/feed.xml', async (ctx) => {
    const { articles: list } = await articles.listArticles(db, undefined, {}, FEED_SIZE, 0);
    ctx.type = 'application/rss+xml; charset=utf-8';
    ctx.set('Cache-Control', 'public, max-age=300');
    ctx.body = view.text('feeds/rss', { origin: siteOrigin(ctx), articles: list, updated: list[0]?.updatedAt ?? Date.now() });
  });

  router.get('/sitemap.xml', async (ctx) => {
    const links = await articles.listArticleLinks(db, SITEMAP_SIZE - 1);
    ctx.type = 'application/xml; charset=utf-8';
    ctx.set('Cache-Control', 'public, max-age=3600');
    ctx.body = view.text('feeds/sitemap', { origin: siteOrigin(ctx), links });
  });

  return router;
}
