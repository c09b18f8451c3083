// Response compression when no nginx is in front (COMPRESS=off behind it). koa-compress pipes every
// body through a zlib stream on the thread pool; for a rendered page or a JSON answer, which is
// already whole in memory, that machinery (stream, pipeline, thread hops, a chunked response) cost
// more CPU than compressing it (docs/decisions/20-compression.md). So bodies held in
// memory, up to SYNC_MAX_BYTES, are gzipped here in place, in one call, and sent with a Content-Length;
// streams (public files) and larger bodies go on to koa-compress, which skips what already has an
// encoding. (Handing them to the thread pool instead cost more than it saved: see compression() below.)
// A body the response cache already holds gzipped (or in brotli) comes with its copies in
// ctx.state.precompressed: it is sent from them, never compressed again (src/cache/README.md).
import type { IncomingMessage } from 'node:http';
import { gzipSync } from 'node:zlib';
import compressible from 'compressible';
import koaCompress from 'koa-compress';
import Negotiator from 'negotiator';
import type { Middleware, Next } from 'koa';
import type { AppContext, RequestState } from '../core/state.js';
import { bytesOf } from './body-bytes.js';

const THRESHOLD = 1024;
/** Above this a body is left to koa-compress's stream, so one response never blocks the loop for long. */
const SYNC_MAX_BYTES = 256 * 1024;
/**
 * zlib's fast strategy per response: half the CPU of the default level 6 for a slightly larger body.
 * A body compressed once and sent many times (the response cache's copy) keeps level 6
 * (docs/decisions/20-compression.md).
 */
const LEVEL = 3;
const emptyStatuses = new Set([204, 205, 206, 304]);

/** What a client's Accept-Encoding header lets us send, as koa-compress would decide. */
interface Codings {
  /** gzip rather than identity, when gzip is the only coding on offer (q=0 refuses it). */
  gzip: boolean;
  /** br rather than gzip or identity: on a tie brotli wins, as koa-compress ranks them (browsers send
   * "gzip, deflate, br, zstd", all at q=1, and plain negotiation would pick the first listed). */
  br: boolean;
}

const NONE: Codings = { gzip: false, br: false };
/**
 * Answers by header: negotiating per request was a visible share of a cache hit (docs/decisions/20-compression.md).
 * Browsers send a handful of distinct headers; past 256, the memory starts again, and a header longer than any
 * browser's is negotiated each time, so this holds a few KB at most.
 */
const codingsByHeader = new Map<string, Codings>();
const MAX_REMEMBERED_HEADER = 128;

function codingsOf(req: IncomingMessage): Codings {
  const header = req.headers['accept-encoding'];
  if (!header) return NONE;
  let codings = codingsByHeader.get(header);
  if (codings === undefined) {
    const negotiator = new Negotiator(req);
    codings = {
      gzip: negotiator.encoding(['gzip', 'identity']) === 'gzip',
      br: negotiator.encoding(['br', 'gzip', 'identity'], { preferred: ['br', 'gzip', 'identity'] }) === 'br',
    };
    if (header.length <= MAX_REMEMBERED_HEADER) {
      if (codingsByHeader.size >= 256) codingsByHeader.clear();
      codingsByHeader.set(header, codings);
    }
  }
  return codings;
}

/** Whether to send gzip: not without an Accept-Encoding header, and only when the client prefers gzip to identity. */
export const prefersGzip = (req: IncomingMessage): boolean => codingsOf(req).gzip;

/** Whether to send a body the cache holds in brotli: the client takes br at least as gladly as gzip and identity. */
export const prefersBrotli = (req: IncomingMessage): boolean => codingsOf(req).br;

/** Whether a body of this type and size is worth gzipping at all (koa-compress's rule: compressible, 1 KB or more). */
export function worthGzipping(type: string, size: number): boolean {
  return size >= THRESHOLD && Boolean(compressible(type));
}

async function gzipInMemory(ctx: AppContext, next: Next): Promise<void> {
  await next();
  const { response } = ctx;
  if (
    ctx.method === 'HEAD' || emptyStatuses.has(ctx.status) || ctx.res.headersSent || !ctx.writable ||
    response.get('Content-Encoding') || response.get('Content-Range') ||
    /(?:^|,)\s*no-transform\s*(?:,|$)/.test(response.get('Cache-Control'))
  ) return;
  const bytes = bytesOf(ctx.body);
  if (!bytes || !worthGzipping(response.type, bytes.length) || bytes.length > SYNC_MAX_BYTES) return;
  // The cache's copies, while the body is still the one they encode (the error handler, between the two, may have replaced it).
  const { precompressed } = ctx.state;
  const copies = precompressed?.body === bytes ? precompressed : undefined;
  if (copies?.br && prefersBrotli(ctx.req)) {
    ctx.body = copies.br;
    ctx.set('Content-Encoding', 'br');
    return;
  }
  if (!prefersGzip(ctx.req)) return;
  // Koa keeps the Content-Type and sets the length.
  ctx.body = copies?.gzip ?? gzipSync(bytes, { level: LEVEL });
  ctx.set('Content-Encoding', 'gzip');
}

/**
 * Both layers, outermost first: koa-compress (Vary, streams, large bodies) around the in-memory gzip.
 * Gzip stays in place, not on libuv's thread pool, even in a lone process: on two cores, waking a
 * pool thread for each body cost more than it saved (docs/decisions/20-compression.md).
 */
export function compression(): Middleware<RequestState>[] {
  return [koaCompress({ threshold: THRESHOLD, br: false, zstd: false, deflate: false }) as Middleware<RequestState>, gzipInMemory];
}
