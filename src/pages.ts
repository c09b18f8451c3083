// The server-rendered site: every feature's pages on one router, as api.ts does for the JSON API.
// Sessions, the signed-in user and CSRF checks sit before it in the onion (src/app.ts).
import { Router } from '@koa/router';
import { articlePages } from './articles/article.pages.js';
import { editorPages } from './articles/editor.pages.js';
import { feedPages } from './articles/feed.pages.js';
import { commentPages } from './comments/comment.pages.js';
import { notFound } from './platform/errors.js';
import type { Renderer } from './platform/render.js';
import { isApiPath, type AppContext, type AppDeps, type RequestState } from './platform/state.js';
import { profilePages } from './profiles/profile.pages.js';
import { statsPages } from './stats/stats.pages.js';
import { userPages } from './users/user.pages.js';

export function pageRouter(deps: AppDeps, view: Renderer) {
  const pages = new Router<RequestState>();
  for (const feature of [articlePages, editorPages, commentPages, profilePages, userPages, feedPages, statsPages]) {
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
