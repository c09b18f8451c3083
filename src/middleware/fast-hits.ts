// Fresh cache hits answered before Koa (this wraps Koa's request listener; it is not a Koa middleware). A hit is bytes already rendered and headers already sent
// once (by the whole onion, on the miss), so it needs none of the layers: it is checked against the
// current write generation, answered with 304 or the body (gzipped when the client takes it), given
// its own request id, and logged like any other request. Everything else — misses, stale entries,
// writes, signed-in readers — goes on to Koa unchanged. A hit served here costs a fraction of one
// served by the cache middleware: no context, no promise chain, no per-layer header work.
import type { IncomingMessage, RequestListener, ServerResponse } from 'node:http';
import fresh from 'fresh';
import { logWhenClosed, type AccessLogSink } from './access-log.js';
import { cacheKey, hasCredentials, type ResponseCache } from './cache.js';
import { prefersGzip } from './compress.js';
import { clientIp } from './forwarded.js';
import { chooseRequestId } from './request-id.js';
import type { CachedResponse } from '../platform/cache.js';

export interface FastHitOptions {
  cache: ResponseCache;
  /** Whether a peer is a trusted proxy (forwarded-headers' rule). */
  trusted: (address: string | undefined) => boolean;
  accessLog?: AccessLogSink;
}

function send(req: IncomingMessage, res: ServerResponse, entry: CachedResponse & { sent: string[] }, trusted: boolean, log?: AccessLogSink): void {
  const id = chooseRequestId(trusted ? (req.headers['x-request-id'] as string | undefined) : undefined);
  const headers = entry.sent.concat('x-request-id', id, 'etag', entry.etag, 'x-cache', 'HIT');
  if (fresh(req.headers, { etag: entry.etag })) {
    if (log) logWhenClosed(log, req, res, clientIp(req, trusted));
    res.writeHead(304, headers);
    res.end();
    return;
  }
  // As the compression layers decide: never for HEAD, and gzip only when the client prefers it to identity.
  const gzip = entry.gzip && req.method === 'GET' && prefersGzip(req) ? entry.gzip : undefined;
  const body = gzip ?? entry.body;
  headers.push('content-type', entry.type, 'content-length', String(body.length));
  if (gzip) headers.push('content-encoding', 'gzip');
  if (log) logWhenClosed(log, req, res, clientIp(req, trusted), body.length);
  res.writeHead(200, headers);
  if (req.method === 'HEAD') res.end();
  else res.end(body);
}

/** Wraps Koa's request listener: fresh hits are answered here, everything else is passed to it. */
export function answerHitsEarly(opts: FastHitOptions, koa: RequestListener): RequestListener {
  const { cache, trusted, accessLog } = opts;
  const { lru, generation } = cache;
  return (req, res) => {
    if ((req.method !== 'GET' && req.method !== 'HEAD') || hasCredentials(req)) return koa(req, res);
    const isTrusted = trusted(req.socket.remoteAddress);
    const entry = lru.get(cacheKey(req, isTrusted));
    if (!entry?.sent) return koa(req, res);
    const ready = entry as CachedResponse & { sent: string[] };
    if (generation.readNow) {
      let current: string;
      try {
        current = generation.readNow();
      } catch {
        return koa(req, res); // the cache middleware reports it, and serves uncached
      }
      if (current === entry.generation) return send(req, res, ready, isTrusted, accessLog);
      return koa(req, res);
    }
    generation.read().then(
      (current) => (current === entry.generation ? send(req, res, ready, isTrusted, accessLog) : koa(req, res)),
      () => koa(req, res),
    );
  };
}
