// Server-rendered HTML: one nunjucks environment over src/views (autoescape on), the values every
// page shares (signed-in user, CSRF token, flash, asset URLs), and the error pages.
import crypto from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import nunjucks from 'nunjucks';
import type { FieldErrors } from '../core/errors.js';
import type { Html } from '../core/html.js';
import { fragments, highlight, isoDateTime, longDate, pagination, tagList, type FollowedProfile, type PreviewArticle } from './fragments.js';
import type { Pager } from './paging.js';
import { requestOrigin, type AppContext } from '../core/state.js';
import { SETTINGS } from '../settings/settings.schema.js';
import type { Settings } from '../settings/settings.service.js';
import { can } from '../users/roles.js';

const here = path.dirname(fileURLToPath(import.meta.url));
/** The project root: the same from src/site (tsx) and dist/site (built). */
export const projectRoot = path.resolve(here, '../..');
export const publicDir = path.join(projectRoot, 'public');
/** The templates, beside this folder: src/views under tsx, dist/views in the build (npm run build copies them). */
const viewsDir = path.resolve(here, '../views');

export type Vars = Record<string, unknown>;

/** Where the fragments' html`` meets nunjucks: markup a template prints as it is (a SafeString). */
const safe = (markup: Html): nunjucks.runtime.SafeString => new nunjucks.runtime.SafeString(markup.value);

export interface Renderer {
  /** Renders views/<view>.njk in the site layout as ctx.body (status defaults to 200). */
  page(ctx: AppContext, view: string, vars: Vars, status?: number): void;
  /** Renders a template to a string, without the per-request values (feeds, sitemaps). */
  text(view: string, vars: Vars): string;
  /** The versioned URL of a file in public/, e.g. /css/site.css?v=1a2b3c4d. */
  asset(file: string): string;
  /**
   * The site's settings for this request: read on the first call and kept with the request, so a
   * page reads them once. The page router calls it before every page route, because page() cannot
   * wait; error pages call it when no route did.
   */
  settings(ctx: AppContext): Promise<LayoutSettings>;
  /** Where settings are read from: the page router hands in the database's reader. */
  readSettingsFrom(read: () => Promise<LayoutSettings>): void;
}

/** What the layout and the feeds show from the site's settings. */
export type LayoutSettings = Pick<Settings, 'title' | 'description' | 'language' | 'url'>;

/** The settings' defaults: what a renderer shows before it is given a reader (a test's, a build check's). */
const defaultLayout = (siteName?: string): LayoutSettings => ({
  title: siteName ?? SETTINGS.title.parse(undefined), description: SETTINGS.description.parse(undefined),
  language: SETTINGS.language.parse(undefined), url: SETTINGS.url.parse(undefined),
});

/** The site's own origin: the `url` setting when set, else the address the request came to. */
export const canonicalOrigin = (ctx: AppContext, settings: LayoutSettings): string => settings.url || requestOrigin(ctx);

/** Content hashes of public/ files (outside public/app/), so their URLs can be cached for a year. */
export function fingerprintPublicFiles(dir = publicDir): Map<string, string> {
  const versions = new Map<string, string>();
  const walk = (sub: string) => {
    for (const entry of fs.readdirSync(path.join(dir, sub), { withFileTypes: true })) {
      const rel = `${sub}/${entry.name}`;
      if (entry.isDirectory()) { if (rel !== '/app') walk(rel); continue; }
      const hash = crypto.createHash('sha256').update(fs.readFileSync(path.join(dir, rel))).digest('hex');
      versions.set(rel, hash.slice(0, 10));
    }
  };
  if (fs.existsSync(dir)) walk('');
  return versions;
}

/** Values a page takes from the request's session, supplied by the app (the session layer lives in middleware/). */
export interface SessionVars {
  /** The flash message to show once, taken out of the session. */
  flash(ctx: AppContext): unknown;
  /** The CSRF token for a form on this page, made on first use. */
  csrf(ctx: AppContext): string;
}

export function createRenderer(opts: { siteName?: string; versions?: Map<string, string>; session: SessionVars }): Renderer {
  const { session } = opts;
  const fallback = defaultLayout(opts.siteName);
  let readSettings = async () => fallback;
  // Per request, the read in flight or done: a second call in the same request waits for the first.
  const reads = new WeakMap<AppContext, Promise<LayoutSettings>>();
  const loaded = new WeakMap<AppContext, LayoutSettings>();
  const env = new nunjucks.Environment(new nunjucks.FileSystemLoader(viewsDir), { autoescape: true, throwOnUndefined: false });
  const versions = opts.versions ?? fingerprintPublicFiles();
  const asset = (file: string) => (versions.has(file) ? `${file}?v=${versions.get(file)}` : file);
  env.addGlobal('siteName', fallback.title);
  env.addGlobal('asset', asset);
  env.addFilter('date', longDate);
  env.addFilter('isoDate', isoDateTime);
  env.addFilter('rfc822', (ms: number) => new Date(ms).toUTCString());
  env.addFilter('highlight', (text: unknown, query: unknown) => safe(highlight(text, query)));
  env.addFilter('urlPart', (s: string) => encodeURIComponent(s));
  env.addFilter('tagList', (tags: string[], label?: string) => safe(tagList(tags, label)));
  env.addGlobal('pagination', (pager: Pager) => safe(pagination(pager)));
  // The per-article fragments (site/fragments.ts), called as the macros they replace were.
  const html = fragments(asset);
  env.addFilter('avatar', (profile: { image?: string | null }, size?: number) => safe(html.avatar(profile, size)));
  env.addGlobal('byline', (article: PreviewArticle) => safe(html.byline(article)));
  env.addGlobal('favoriteButton', (article: PreviewArticle, user: unknown, csrf: () => string, back: string) =>
    safe(html.favoriteButton(article, user ? csrf() : undefined, back)));
  env.addGlobal('followButton', (profile: FollowedProfile, csrf: () => string, back: string) => safe(html.followButton(profile, csrf(), back)));
  env.addGlobal('articleList', (articles: PreviewArticle[], user: unknown, csrf: () => string, back: string, empty: string, query?: string) =>
    safe(html.articleList(articles, user ? { csrf, back } : undefined, empty, query)));

  return {
    asset,
    text: (view, vars) => env.render(`${view}.njk`, vars),
    readSettingsFrom(read) { readSettings = read; },
    settings(ctx) {
      let read = reads.get(ctx);
      if (!read) {
        read = readSettings().then((settings) => { loaded.set(ctx, settings); return settings; });
        reads.set(ctx, read);
      }
      return read;
    },
    page(ctx, view, vars, status = 200) {
      const site = loaded.get(ctx) ?? fallback;
      const user = ctx.state.user;
      const html = env.render(`${view}.njk`, {
        siteName: site.title,
        site,
        origin: canonicalOrigin(ctx, site),
        ...vars,
        user,
        // The nav's Admin link: for whoever may see some part of /admin.
        mayAdmin: can(user, 'manage_users') || can(user, 'view_stats'),
        // Readers and suspended accounts cannot post: no editor link (contributors write, and are told why it cannot be published).
        mayWrite: can(user, 'write_drafts'),
        path: ctx.path,
        flash: session.flash(ctx),
        // Called by templates that hold a form: only then is a token made.
        csrf: () => session.csrf(ctx),
      });
      ctx.status = status;
      ctx.type = 'html';
      ctx.set('Cache-Control', ctx.state.user ? 'private, no-cache' : 'no-cache');
      // The same for every anonymous reader: the response cache may keep it (it skips Set-Cookie).
      if (!ctx.state.user && status === 200) ctx.state.cacheable = true;
      // As bytes: Koa then takes the length from the Buffer instead of measuring the string's UTF-8,
      // and the layers above (ETag, gzip, cache) get the one encoding they all need (docs/decisions/20-body-bytes.md).
      ctx.body = Buffer.from(html);
    },
  };
}

const errorTitles: Record<number, string> = {
  400: 'Bad request', 401: 'Please sign in', 403: 'Not allowed', 404: 'Page not found',
  405: 'Not allowed here', 409: 'Already taken', 413: 'Too large', 422: 'Not valid', 429: 'Too many requests',
  503: 'Temporarily unavailable',
};

/** The error middleware's page renderer: 4xx/5xx in the site layout, plain text if even that fails. */
export function errorPages(view: Renderer) {
  return async function renderErrorPage(ctx: AppContext, status: number, errors: FieldErrors) {
    // The layout's title and language; when the database is what failed, the defaults will do.
    await view.settings(ctx).catch(() => undefined);
    const title = status === 403 && errors.csrf ? 'This form has expired' : errorTitles[status] ?? 'Something went wrong';
    const messages = status === 404 || (status >= 500 && status !== 503) ? [] : Object.entries(errors).flatMap(([field, list]) => list.map((m) => `${field} ${m}`));
    try {
      view.page(ctx, 'errors/error', { title, description: `${status} ${title}`, status, messages, csrfFailed: Boolean(errors.csrf), requestId: ctx.state.requestId }, status);
    } catch {
      ctx.type = 'text';
      ctx.body = `${status} ${title}`;
    }
  };
}
