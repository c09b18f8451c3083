// Machine-read pages: the RSS feed of the newest articles and the sitemap, with absolute URLs
// built from the `url` setting, or the request's origin (which a trusted proxy may set) when unset.
import { Router } from '@koa/router';
import { canonicalOrigin, type Renderer } from './render.js';
import type { AppContext, RequestState } from '../core/state.js';
import type { AppDeps } from '../runtime/deps.js';
import * as articles from '../articles/article.service.js';

const FEED_SIZE = 20;
/** The sitemap protocol's limit for one file. */
const SITEMAP_SIZE = 50_000;

export function feedPages(deps: AppDeps, view: Renderer) {
  const { db } = deps.database;
  const router = new Router<RequestState>();
  /** The site's name and origin, from the settings the page router read for this request. */
  const siteOf = async (ctx: AppContext) => {
    const settings = await view.settings(ctx);
    return { siteName: settings.title, origin: canonicalOrigin(ctx, settings) };
  };

  router.get('/feed.xml', async (ctx) => {
    const [{ articles: list }, site] = await Promise.all([articles.listArticles(db, undefined, {}, FEED_SIZE, 0), siteOf(ctx)]);
    ctx.type = 'application/rss+xml; charset=utf-8';
    ctx.set('Cache-Control', 'public, max-age=300');
    ctx.body = view.text('feeds/rss', { ...site, articles: list, updated: list[0]?.updatedAt ?? Date.now() });
  });

  router.get('/sitemap.xml', async (ctx) => {
    const [links, site] = await Promise.all([articles.listArticleLinks(db, SITEMAP_SIZE - 1), siteOf(ctx)]);
    ctx.type = 'application/xml; charset=utf-8';
    ctx.set('Cache-Control', 'public, max-age=3600');
    ctx.body = view.text('feeds/sitemap', { ...site, links });
  });

  return router;
}
