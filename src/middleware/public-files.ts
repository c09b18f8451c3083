// Static files from public/: only names found at boot are looked up (pages never touch the disk).
// A URL carrying the file's current fingerprint (?v=…) is cached for a year; any other for five
// minutes, revalidated by ETag. public/app/ holds an optional single-page front end, served at /app/.
import fs from 'node:fs';
import path from 'node:path';
import type { Next } from 'koa';
import send from 'koa-send';
import type { AppContext } from '../core/state.js';

const YEAR_MS = 365 * 86_400_000;
const FIVE_MINUTES_MS = 300_000;

export function publicFiles(root: string, versions: Map<string, string>) {
  return async function publicFiles(ctx: AppContext, next: Next) {
    if (ctx.method !== 'GET' && ctx.method !== 'HEAD') return next();
    // Browsers ask for /favicon.ico on their own, whatever the page links: point them at the SVG icon.
    if (ctx.path === '/favicon.ico' && versions.has('/favicon.svg')) {
      ctx.status = 301;
      ctx.set('Cache-Control', 'public, max-age=86400');
      return ctx.redirect(`/favicon.svg?v=${versions.get('/favicon.svg')}`);
    }
    if (!versions.has(ctx.path)) return next();
    const current = ctx.query.v === versions.get(ctx.path);
    await send(ctx, ctx.path, {
      root,
      maxage: current ? YEAR_MS : FIVE_MINUTES_MS,
      immutable: current,
      setHeaders: (res) => { res.setHeader('X-Content-Type-Options', 'nosniff'); },
    });
  };
}

/**
 * /app/: files of a built front end in appDir, and its index.html for every client-side route
 * (a path without a file extension). Without appDir/index.html at start, /app/ is an ordinary 404.
 */
export function singlePageApp(appDir: string, mount = '/app') {
  // Looked for once, like the public files: a front end dropped in later needs a restart.
  const hasIndex = fs.existsSync(path.join(appDir, 'index.html'));
  return async function singlePageApp(ctx: AppContext, next: Next) {
    if (ctx.path === mount && (ctx.method === 'GET' || ctx.method === 'HEAD')) return ctx.redirect(`${mount}/`);
    if (!ctx.path.startsWith(`${mount}/`) || (ctx.method !== 'GET' && ctx.method !== 'HEAD')) return next();
    if (!hasIndex) return next();
    const file = ctx.path.slice(mount.length);
    try {
      // Hashed bundle names are the build tool's business; a day is safe for either kind.
      if (file !== '/' && path.extname(file)) return void (await send(ctx, file, { root: appDir, maxage: 86_400_000 }));
    } catch (err) {
      if ((err as { status?: number }).status !== 404) throw err;
      return next();
    }
    ctx.set('Cache-Control', 'no-cache');
    await send(ctx, 'index.html', { root: appDir });
  };
}
