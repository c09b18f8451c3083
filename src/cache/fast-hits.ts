// Fresh cache hits answered before Koa (this wraps Koa's request listener; it is not a Koa middleware). A hit is bytes already rendered and headers already sent
// once (by the whole onion, on the miss), so it needs none of the layers: it is checked against the
// current write generation, answered with 304 or the body (in brotli or gzip when the client takes it), given
// its own request id, and logged like any other request. Everything else — misses, stale entries,
// writes, signed-in readers — goes on to Koa unchanged. A hit served here costs a fraction of one
// served by the cache middleware: no context, no promise chain, no per-layer header work.
import type { IncomingMessage, RequestListener, ServerResponse } from 'node:http';
import fresh from 'fresh';
import { logWhenClosed, type AccessLogSink } from '../middleware/access-log.js';
import { hasCredentials, type ResponseCache } from './response-cache.js';
import { cacheKey } from './cache-key.js';
import { prefersBrotli, prefersGzip } from '../middleware/compress.js';
import { clientIp } from '../middleware/forwarded.js';
import { chooseRequestId } from '../middleware/request-id.js';
import type { CachedResponse } from './lru.js';

export interface FastHitOptions {
  cache: ResponseCache;
  /** Whether a peer is a trusted proxy (forwarded-headers' rule). */
  trusted: (address: string | undefined) => boolean;
  accessLog?: AccessLogSink;
}

/** The bytes to send and their Content-Encoding: brotli or gzip when the client takes them (never for HEAD), else the body. */
function representation(req: IncomingMessage, key: string, entry: CachedResponse, cache: ResponseCache): [Buffer, ('br' | 'gzip')?] {
  if (!entry.gzip || req.method !== 'GET') return [entry.body];
  if (prefersBrotli(req)) {
    if (entry.br) return [entry.br, 'br'];
    cache.brotliLater(key, entry);
  }
  // As the compression layers decide: gzip only when the client prefers it to identity.
  return prefersGzip(req) ? [entry.gzip, 'gzip'] : [entry.body];
}

function send(req: IncomingMessage, res: ServerResponse, key: string, entry: CachedResponse & { sent: string[] }, opts: FastHitOptions, trusted: boolean): void {
  const log = opts.accessLog;
  const id = chooseRequestId(trusted ? (req.headers['x-request-id'] as string | undefined) : undefined);
  const headers = entry.sent.concat('x-request-id', id, 'etag', entry.etag, 'x-cache', 'HIT');
  if (fresh(req.headers, { etag: entry.etag })) {
    if (log) logWhenClosed(log, req, res, clientIp(req, opts.trusted));
    res.writeHead(304, headers);
    res.end();
    return;
  }
  const [body, encoding] = representation(req, key, entry, opts.cache);
  headers.push('content-type', entry.type, 'content-length', String(body.length));
  if (encoding) headers.push('content-encoding', encoding);
  if (log) logWhenClosed(log, req, res, clientIp(req, opts.trusted), body.length);
  res.writeHead(200, headers);
  if (req.method === 'HEAD') res.end();
  else res.end(body);
}

/** Wraps Koa's request listener: fresh hits are answered here, everything else is passed to it. */
export function answerHitsEarly(opts: FastHitOptions, koa: RequestListener): RequestListener {
  const { lru, generation, earlyReads } = opts.cache;
  return (req, res) => {
    if ((req.method !== 'GET' && req.method !== 'HEAD') || hasCredentials(req)) return koa(req, res);
    // The access log far behind: through the onion, whose access-log layer waits for it to catch up.
    if (opts.accessLog?.whenWritable?.()) return koa(req, res);
    const isTrusted = opts.trusted(req.socket.remoteAddress);
    const key = cacheKey(req, isTrusted);
    const entry = lru.get(key);
    if (!entry?.sent) return koa(req, res);
    const ready = entry as CachedResponse & { sent: string[] };
    if (generation.readNow) {
      let current: string;
      try {
        current = generation.readNow();
      } catch {
        return koa(req, res); // the cache middleware reports it, and serves uncached
      }
      if (current === entry.generation) return send(req, res, key, ready, opts, isTrusted);
      return koa(req, res);
    }
    // What was read is passed on with a miss: read after the request arrived, it is fresh enough for
    // the cache middleware too, which would otherwise wait for the same store a second time.
    generation.read().then(
      (current) => {
        if (current === entry.generation) return send(req, res, key, ready, opts, isTrusted);
        earlyReads.set(req, { generation: current });
        koa(req, res);
      },
      (error: unknown) => {
        earlyReads.set(req, { error });
        koa(req, res);
      },
    );
  };
}
