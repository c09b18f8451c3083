// createApp(deps): the whole Koa onion, in order (onionLayers). createRequestHandler(deps): what servers mount —
// the onion, with fresh cache hits answered ahead of it. Listening happens in bin/www.ts only, so
// tests can mount the handler on port 0.
import type { RequestListener } from 'node:http';
import Koa from 'koa';
import { bodyParser } from '@koa/bodyparser';
import { apiCors, apiRoutes } from './api/router.js';
import { errorHandler } from './middleware/error-handler.js';
import { forwardedHeaders, proxyCheck } from './middleware/forwarded.js';
import { requestId } from './middleware/request-id.js';
import { health } from './middleware/health.js';
import { servedBy } from './middleware/served-by.js';
import { accessLog, accessLogSink } from './middleware/access-log.js';
import { serverTiming, timedLayers } from './middleware/server-timing.js';
import { responseCache, type ResponseCache } from './cache/response-cache.js';
import { answerHitsEarly } from './cache/fast-hits.js';
import { compression } from './middleware/compress.js';
import { bodyBytes } from './middleware/body-bytes.js';
import { generationStore } from './cache/generation.js';
import type { RequestState } from './core/state.js';
import type { AppDeps } from './runtime/deps.js';
import conditionalGet from 'koa-conditional-get';
import etag from 'koa-etag';
import path from 'node:path';
import { pageNotFound, pageRouter } from './site/router.js';
import { csrfProtection } from './sessions/csrf.js';
import { methodNotAllowed } from './middleware/method-not-allowed.js';
import { writeLimits } from './limits/write-limits.js';
import { publicFiles, singlePageApp } from './middleware/public-files.js';
import { securityHeaders } from './middleware/security-headers.js';
import { cookieKeys, csrfToken, sessions, takeFlash } from './sessions/session.js';
import { currentUser } from './site/current-user.js';
import { createRenderer, errorPages, fingerprintPublicFiles, publicDir } from './site/render.js';

/** The response cache both the onion and the early hits read (undefined with CACHE=off). */
function createCache(deps: AppDeps): ResponseCache | undefined {
  const { config, logger } = deps;
  if (!config.CACHE) return undefined;
  return responseCache({ generation: generationStore(deps), maxBytes: config.CACHE_MAX_MB * 1024 * 1024, maxEntries: config.CACHE_MAX_ENTRIES, logger, compress: config.COMPRESS });
}

/** The server's request listener. With SERVER_TIMING on every request goes through the onion, so its timings cover every layer. */
export function createRequestHandler(deps: AppDeps): RequestListener {
  const cache = createCache(deps);
  const koa = createApp(deps, cache).callback();
  if (!cache || deps.config.SERVER_TIMING) return koa;
  return answerHitsEarly({ cache, trusted: proxyCheck(deps.config.TRUST_PROXY), accessLog: accessLogSink(deps.config) }, koa);
}

export function createApp(deps: AppDeps, cache = createCache(deps)): Koa<RequestState> {
  const { config } = deps;
  const app = new Koa<RequestState>({ proxy: config.TRUST_PROXY.length > 0 });
  app.silent = true; // errors are logged by errorHandler, with the request id

  app.keys = cookieKeys(deps.secret); // signs the session cookie alike in every worker
  const stack = onionLayers(deps, app, cache);
  for (const layer of config.SERVER_TIMING ? timedLayers(stack) : stack) app.use(layer);
  return app;
}

/**
 * The onion's layers, outermost first, as createApp mounts them (each timed when SERVER_TIMING is
 * on). Each is named after its factory; test/cache/layers.test.ts says which may set headers on a
 * cached response, and fails on a layer it does not know (src/cache/README.md).
 */
export function onionLayers(deps: AppDeps, app: Koa<RequestState>, cache: ResponseCache | undefined): Koa.Middleware<RequestState>[] {
  const { config, logger } = deps;
  const assetVersions = fingerprintPublicFiles(publicDir);
  const view = createRenderer({ versions: assetVersions, session: { flash: takeFlash, csrf: csrfToken } });
  const pages = pageRouter(deps, view);
  const accessLogLine = accessLogSink(config);
  const layers = [
    // Outside everything, so Server-Timing covers every layer (each wrapped below when enabled).
    ...(config.SERVER_TIMING ? [serverTiming()] : []),
    // Drop X-Forwarded-* from anyone but a trusted proxy, before anything reads ctx.ip.
    forwardedHeaders(config.TRUST_PROXY),
    // An id for every request, so the error handler can name it.
    requestId(),
    // Which instance answered (X-Served-By), when INSTANCE_NAME is set: visible through nginx.
    ...(config.INSTANCE_NAME ? [servedBy(config.INSTANCE_NAME)] : []),
    // Just inside request-id and outside the error handler: it logs the final status, even of errors and aborts.
    ...(accessLogLine ? [accessLog(accessLogLine)] : []),
    // Security headers and the CSP before the error handler, so error pages carry them too.
    securityHeaders(),
    // gzip for clients that take it, over every body incl. error pages and cache hits (COMPRESS=off behind nginx).
    ...(config.COMPRESS ? compression() : []),
    // Outermost catcher: everything below throws, this answers (pages get an HTML error page).
    errorHandler({ logger, renderPage: errorPages(view) }),
    // CORS for the API inside the error handler, so its headers ride on error answers too.
    apiCors(config),
    // Liveness for pm2, nginx and load balancers: each dependency's state; 200 when the database answers, else 503.
    health(deps),
    // 304 when the client's ETag still matches; ETags for every 2xx body, cached or not.
    conditionalGet(),
    etag(),
    // Page and JSON bodies encoded once, for the ETag, gzip and the socket alike.
    bodyBytes(),
    // Render-once cache of anonymous GETs; every write bumps a generation all workers read (CACHE=off to measure without).
    ...(cache ? [cache.middleware] : []),
    // JSON and form bodies, limited to BODY_LIMIT (413 above it, 400 on malformed JSON).
    bodyParser({ jsonLimit: config.bodyLimitBytes, formLimit: config.bodyLimitBytes, enableTypes: ['json', 'form'] }),
    // The RealWorld API.
    apiRoutes(deps),
    // public/ files (fingerprinted URLs cached for a year) and /app/, before sessions: no store lookups.
    publicFiles(publicDir, assetVersions),
    singlePageApp(path.join(publicDir, 'app')),
    // Cookie sessions in Redis or the database, for pages only (the API is token-authenticated).
    sessions(app, deps),
    // The session's user, loaded fresh per request so a changed or deleted account takes effect at once.
    currentUser(deps),
    // Every state-changing page request carries its form's CSRF token, or stops here with a 403.
    csrfProtection(),
    // Write rate limits per account and address, after CSRF so a forged form cannot spend a user's budget.
    writeLimits(deps),
    // The server-rendered site.
    pages.routes(),
    // A method no page takes: an HTML 405 page with Allow, not the router's plain-text 501 or 405.
    methodNotAllowed(pages.allowedMethods()),
    // Nothing answered: the 404 page (the API's JSON 404 comes from the error handler).
    pageNotFound,
  ];
  return layers as Koa.Middleware<RequestState>[];
}
