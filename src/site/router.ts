// The server-rendered site: every feature's pages on one router, as api.ts does for the JSON API.
// Sessions, the signed-in user and CSRF checks sit before it in the onion (src/app.ts).
import { Router } from '@koa/router';
import { adminPages } from './admin.pages.js';
import { adminSitePages } from './admin-site.pages.js';
import { articlePages } from './article.pages.js';
import { editorPages } from './editor.pages.js';
import { feedPages } from './feed.pages.js';
import { commentPages } from './comment.pages.js';
import { notFound } from '../core/errors.js';
import type { Renderer } from './render.js';
import { isApiPath, type AppContext, type RequestState } from '../core/state.js';
import type { AppDeps } from '../runtime/deps.js';
import { getSettings } from '../settings/settings.service.js';
import { profilePages } from './profile.pages.js';
import { statsPages } from './stats.pages.js';
import { userPages } from './user.pages.js';
import { moderationPages } from './moderation.pages.js';

export function pageRouter(deps: AppDeps, view: Renderer) {
  const pages = new Router<RequestState>();
  view.readSettingsFrom(() => getSettings(deps.database.db));
  // The layout shows the site's title and language, and page() cannot wait: read them (one small
  // query) before any page route runs. The router runs this only when a page route matched.
  pages.use(async (ctx, next) => {
    await view.settings(ctx);
    await next();
  });
  for (const feature of [articlePages, editorPages, commentPages, profilePages, userPages, feedPages, statsPages, adminPages, adminSitePages, moderationPages]) {
    const router = feature(deps, view);
    pages.use(router.routes(), router.allowedMethods());
  }
  return pages;
}

/** The last layer: nothing answered, so a page-shaped 404 (the API keeps its JSON 404). */
export async function pageNotFound(ctx: AppContext) {
  if (isApiPath(ctx.path)) return;
  throw notFound('page');
}
