// Bodies held in memory turned into bytes once. Koa encodes a string body (a rendered page) and
// serialises an object body (a JSON answer) only when it sends it; before that, koa-etag and the gzip
// layer each did the same work again (docs/decisions/20-body-bytes.md). Sitting just inside the
// ETag layer, this leaves every layer above a Buffer, with the Content-Type Koa already set for the
// string or object.
import type { Next } from 'koa';
import type { AppContext } from '../core/state.js';

/** A body Koa holds in memory, as the bytes it would send; undefined for streams, files and empty bodies. */
export function bytesOf(body: unknown): Buffer | undefined {
  if (Buffer.isBuffer(body)) return body;
  if (typeof body === 'string') return Buffer.from(body);
  if (body !== null && typeof body === 'object' && (Array.isArray(body) || Object.getPrototypeOf(body) === Object.prototype)) {
    return Buffer.from(JSON.stringify(body));
  }
  return undefined;
}

export function bodyBytes() {
  return async function bodyBytes(ctx: AppContext, next: Next) {
    await next();
    const { body } = ctx;
    if (body === null || body === undefined || Buffer.isBuffer(body)) return;
    const bytes = bytesOf(body);
    if (bytes) ctx.body = bytes; // Koa keeps the Content-Type it set for the string or object
  };
}
