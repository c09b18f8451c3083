// Render-once caching of anonymous GET responses, with exact invalidation: every write that passed
// authentication (a valid token; a signed-in session and its CSRF check) — nothing else can change
// content — bumps the shared write generation as soon as it is authenticated, before it runs, and,
// unless it was refused with a 4xx, after it; an entry is served only while the generation it was
// rendered at is still current. A write acknowledged by one worker is therefore seen by the next
// request to any worker, and a stranger's junk write, refused by auth or CSRF, flushes nothing.
// The rules every feature keeps so this stays true: src/cache/README.md.
import type { IncomingMessage, ServerResponse } from 'node:http';
import { performance } from 'node:perf_hooks';
import { brotliCompress, constants as zlibConstants, gzipSync } from 'node:zlib';
import { prefersBrotli, worthGzipping } from '../middleware/compress.js';
import { bytesOf } from '../middleware/body-bytes.js';
import type { Next } from 'koa';
import { entityTag, ownedBytes, ResponseLru, type CachedResponse } from './lru.js';
import { type GenerationStore } from './generation.js';
import { unavailable } from '../core/errors.js';
import type { Logger } from '../runtime/logger.js';
import type { AppContext } from '../core/state.js';
import { cacheKey, cachedRoute, canonicalQuery, type CachedRoute } from './cache-key.js';

// Which routes are kept, and what their keys hold: cache/cache-key.ts. A route the table marks
// opt-in is kept once it says so with ctx.state.cacheable = true, and only responses that say so;
// any route opts out with ctx.state.cacheable = false. A response that sets a cookie is never stored.
// (src/cache/README.md, rules 3 and 4.)

/**
 * Every response header a cached response carries, by what a hit does with it (src/cache/README.md;
 * test/cache/layers.test.ts fails on a header in neither list). Replayed: stored with the entry as the
 * miss sent it and sent again on every hit, by fast-hits.ts or, inside Koa, by the layer that set it.
 */
export const REPLAYED_HEADERS: ReadonlySet<string> = new Set([
  // helmet (middleware/security-headers.ts), above the cache: the same on every response.
  'content-security-policy', 'cross-origin-opener-policy', 'cross-origin-resource-policy', 'origin-agent-cluster',
  'referrer-policy', 'strict-transport-security', 'x-content-type-options', 'x-dns-prefetch-control',
  'x-download-options', 'x-frame-options', 'x-permitted-cross-domain-policies', 'x-xss-protection',
  // The instance's name (INSTANCE_NAME): one cache per process.
  'x-served-by',
  // Accept-Encoding (compression) and Origin (CORS): both are in the key or chosen per request.
  'vary',
  // The API's CORS answer: Origin is part of the key (cache-key.ts).
  'access-control-allow-origin', 'access-control-expose-headers',
  // The route's own (site/render.ts, feed.pages.ts): set for signed-out readers, the only ones cached.
  'cache-control',
]);

/**
 * Never stored, never replayed: each response, hit or miss, gets its own, from the layer that sets
 * it, from Node, or from the entry's fields (Content-Type, ETag, the encoded copies). A response
 * that sets a cookie is not stored at all.
 */
export const PER_REQUEST_HEADERS: ReadonlySet<string> = new Set([
  'x-request-id', 'server-timing', 'x-response-time', 'x-cache', 'date', 'connection', 'keep-alive', 'transfer-encoding',
  'content-length', 'content-type', 'content-encoding', 'etag', 'set-cookie',
]);

export interface ResponseCacheOptions {
  generation: GenerationStore;
  /** Every byte the entries hold, keys, headers and copies included (CACHE_MAX_MB). */
  maxBytes: number;
  /** CACHE_MAX_ENTRIES. */
  maxEntries: number;
  logger: Logger;
  /** Keep a gzipped copy of each compressible entry (COMPRESS on), as koa-compress would send it. */
  compress: boolean;
}

export interface ResponseCache {
  lru: ResponseLru;
  generation: GenerationStore;
  middleware: ReturnType<typeof cacheMiddleware>;
  /** Asks for a brotli copy of the entry held under key, for its next hits; gzip serves until then. */
  brotliLater(key: string, entry: CachedResponse): void;
  /** The generation fast-hits.ts read for a request it then handed to Koa, by request: the middleware does not read it again. */
  earlyReads: EarlyReads;
}

/** A read of the generation made after the request arrived, so fresh enough for it: the value, or why it failed. */
export type GenerationRead = { generation: string } | { error: unknown };

/**
 * Weak by request: Koa's listener takes only (req, res), so what fast-hits.ts learnt travels with
 * req, and a request that has finished takes its read with it.
 */
export type EarlyReads = Pick<WeakMap<IncomingMessage, GenerationRead>, 'get' | 'set'>;

/** Signed-in readers see their own follows and favourites: only requests with no credentials at all are cached. */
export function hasCredentials(req: IncomingMessage): boolean {
  return Boolean(req.headers.authorization || req.headers.cookie);
}

function isWrite(method: string): boolean {
  return method !== 'GET' && method !== 'HEAD' && method !== 'OPTIONS';
}

/** Freezes ctx.body into bytes (the response is then sent from them) and describes it for the cache, with the headers set
 * below the cache layer; undefined when not storable. */
function capture(ctx: AppContext, generation: string, outer: Record<string, unknown>, compress: boolean): CachedResponse | undefined {
  // Encoded below the cache (no route is): its copies would be encoded twice.
  if (ctx.status !== 200 || ctx.response.get('Set-Cookie') || ctx.response.get('Content-Encoding')) return undefined;
  const rendered = bytesOf(ctx.body);
  if (!rendered) return undefined; // streams, files, empty bodies
  const bytes = ownedBytes(rendered);
  const type = ctx.response.get('Content-Type') || 'application/octet-stream';
  ctx.body = bytes;
  ctx.type = type;
  const etag = entityTag(bytes);
  ctx.etag = etag;
  const headers: Record<string, string> = {};
  for (const [name, value] of Object.entries(ctx.response.headers)) {
    // Headers the outer layers set (security headers, request id) are set again on a hit anyway.
    if (!PER_REQUEST_HEADERS.has(name) && value !== undefined && outer[name] !== value) headers[name] = String(value);
  }
  const gzip = compress && worthGzipping(type, bytes.length) ? ownedBytes(gzipSync(bytes)) : undefined;
  const entry: CachedResponse = { generation, type, headers, body: bytes, gzip, etag };
  ctx.state.precompressed = entry; // the miss is sent with this copy too, not gzipped twice
  return entry;
}

/** Once a response built from entry has gone out whole, with 200, keeps the headers it went out with, for fast-hits.ts. */
function rememberSent(lru: ResponseLru, key: string, entry: CachedResponse, res: ServerResponse): void {
  if (entry.sent) return;
  res.once('finish', () => {
    if (entry.sent || res.statusCode !== 200) return;
    const sent: string[] = [];
    for (const [name, value] of Object.entries(res.getHeaders())) {
      if (PER_REQUEST_HEADERS.has(name) || value === undefined) continue;
      for (const one of Array.isArray(value) ? value : [value]) sent.push(name, String(one));
    }
    lru.addSent(key, entry, sent);
  });
}

function replay(ctx: AppContext, lru: ResponseLru, key: string, entry: CachedResponse, brotliLater: ResponseCache['brotliLater']): void {
  // As a hit answered ahead of Koa: ask for a brotli copy, which the compression layer sends once made.
  if (prefersBrotli(ctx.req)) brotliLater(key, entry);
  ctx.status = 200;
  ctx.set(entry.headers);
  ctx.body = entry.body;
  // The entry itself, not a copy: no allocation per hit, and a brotli copy made since is seen at once.
  ctx.state.precompressed = entry;
  ctx.type = entry.type;
  ctx.etag = entry.etag;
  ctx.set('X-Cache', 'HIT');
  rememberSent(lru, key, entry, ctx.res);
}

/** Quality 10: most of brotli's saving over gzip for a fraction of quality 11's CPU (docs/decisions/20-brotli-copies.md). */
const BROTLI_PARAMS = { [zlibConstants.BROTLI_PARAM_QUALITY]: 10, [zlibConstants.BROTLI_PARAM_MODE]: zlibConstants.BROTLI_MODE_TEXT };
/** After a brotli job, the next waits this many times as long as it took: brotli never takes more than a tenth of a worker's time. */
const BROTLI_REST_FACTOR = 9;

/**
 * Brotli copies of entries, made one at a time on the thread pool: far too slow for the miss itself,
 * so a hit from a client that takes br asks for one (when no job is running or resting, else a
 * later hit does), and the entry's hits send it once it is made.
 * Only entries that have a gzip copy (compressible, 1 KB or more, COMPRESS on) get one. With writes
 * making entries stale all the time, most would be thrown away soon after: the rest after each job
 * caps what that can cost.
 */
function brotliCopies(lru: ResponseLru, logger: Logger): ResponseCache['brotliLater'] {
  let running = false;
  let restUntil = 0;
  // Each entry is tried once: a copy no smaller than gzip, or a failed job, is not tried again.
  const tried = new WeakSet<CachedResponse>();
  return (key, entry) => {
    const { gzip } = entry;
    if (running || !gzip || tried.has(entry) || performance.now() < restUntil) return;
    running = true;
    tried.add(entry);
    const started = performance.now();
    brotliCompress(entry.body, { params: { ...BROTLI_PARAMS, [zlibConstants.BROTLI_PARAM_SIZE_HINT]: entry.body.length } }, (err, br) => {
      running = false;
      const now = performance.now();
      restUntil = now + (now - started) * BROTLI_REST_FACTOR;
      if (err) logger.warn({ err }, 'brotli copy of a cache entry failed; its hits stay gzipped');
      else if (br.length < gzip.length) lru.addBrotli(key, entry, ownedBytes(br));
    });
  };
}

export function responseCache(opts: ResponseCacheOptions): ResponseCache {
  const lru = new ResponseLru({ maxBytes: opts.maxBytes, maxEntries: opts.maxEntries });
  const brotliLater = brotliCopies(lru, opts.logger);
  const earlyReads = new WeakMap<IncomingMessage, GenerationRead>();
  return { lru, generation: opts.generation, middleware: cacheMiddleware(lru, brotliLater, earlyReads, opts), brotliLater, earlyReads };
}

/** Renders coalesced at once, at most: past it (a stalled database holding many unique misses), misses render alone. */
const MAX_RENDERING = 1000;

/** The generation current for this request: as fast-hits.ts read it, else read now; undefined when it cannot be read. */
async function currentGeneration(ctx: AppContext, generation: GenerationStore, earlyReads: EarlyReads, logger: Logger): Promise<string | undefined> {
  const early = earlyReads.get(ctx.req);
  try {
    if (early && 'error' in early) throw early.error;
    return early ? early.generation : await generation.read();
  } catch (err) {
    logger.warn({ err, requestId: ctx.state.requestId }, 'cache generation unreadable; serving uncached');
    return undefined;
  }
}

/** Renders the response from the query its key was built from (cache/cache-key.ts), then gives the request its own URL back. */
async function renderCanonical(ctx: AppContext, route: CachedRoute, next: Next): Promise<void> {
  const { url } = ctx;
  const canonical = canonicalQuery(route, ctx.querystring);
  if (canonical === ctx.querystring) return next();
  ctx.querystring = canonical;
  try {
    await next();
  } finally {
    ctx.url = url;
  }
}

function cacheMiddleware(lru: ResponseLru, brotliLater: ResponseCache['brotliLater'], earlyReads: EarlyReads, opts: ResponseCacheOptions) {
  const { generation, logger } = opts;
  // Opt-in routes (a row of the table in cache-key.ts each) that have opted in: looked up from their next request on.
  const optedIn = new Set<CachedRoute>();
  // Renders in progress, by key and generation: a burst of misses renders once, the rest wait for it.
  const rendering = new Map<string, Promise<CachedResponse | undefined>>();

  return async function responseCache(ctx: AppContext, next: Next) {
    if (isWrite(ctx.method)) {
      let bumped = false;
      // Called by the auth layers once the writer is known (api/token-auth.ts, sessions/csrf.ts): a
      // write refused before that changes nothing, and must not flush every worker's cache.
      ctx.state.authenticatedWrite = async () => {
        if (bumped) return;
        // Before: if the generation cannot be bumped, refuse the write (503) rather than risk stale reads.
        await generation.bump().catch((err: unknown) => {
          logger.error({ err, requestId: ctx.state.requestId }, 'cache generation bump failed before a write; refused');
          throw unavailable();
        });
        bumped = true;
      };
      let refused = false;
      try {
        await next();
        refused = ctx.status >= 400 && ctx.status < 500;
      } finally {
        // After: entries rendered while the write was in flight may hold the old data. A 4xx changed nothing.
        if (bumped && !refused) await generation.bump().catch((err: unknown) => logger.error({ err, requestId: ctx.state.requestId }, 'cache generation bump failed after a write'));
      }
      return;
    }
    if (ctx.method === 'OPTIONS' || hasCredentials(ctx.req)) return next();

    const route = cachedRoute(ctx.path);
    if (!route) return next();
    if (!route.always && !optedIn.has(route)) {
      await next();
      if (ctx.state.cacheable === true) optedIn.add(route);
      return;
    }
    const key = cacheKey(ctx.req, true);

    const current = await currentGeneration(ctx, generation, earlyReads, logger);
    if (current === undefined) {
      // Cannot tell what is fresh: serve uncached, and forget what we had.
      lru.clear();
      return next();
    }
    const hit = lru.get(key);
    if (hit?.generation === current) return replay(ctx, lru, key, hit, brotliLater);
    const renderKey = `${current}\n${key}`;
    const inProgress = rendering.get(renderKey);
    if (inProgress) {
      // Rendered at the generation this request read, so no write acknowledged before it arrived is missing.
      const shared = await inProgress;
      if (shared) return replay(ctx, lru, key, shared, brotliLater);
      return renderCanonical(ctx, route, next);
    }

    let settle: ((entry: CachedResponse | undefined) => void) | undefined;
    if (rendering.size < MAX_RENDERING) rendering.set(renderKey, new Promise((resolve) => { settle = resolve; }));
    let entry: CachedResponse | undefined;
    try {
      const outer = { ...ctx.response.headers };
      await renderCanonical(ctx, route, next);
      const storable = route.always ? ctx.state.cacheable !== false : ctx.state.cacheable === true;
      if (storable) entry = capture(ctx, current, outer, opts.compress);
    } finally {
      if (settle) {
        rendering.delete(renderKey);
        settle(entry);
      }
    }
    if (entry) {
      lru.set(key, entry);
      ctx.set('X-Cache', 'MISS');
      rememberSent(lru, key, entry, ctx.res);
    }
  };
}
