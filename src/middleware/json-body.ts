// JSON bodies turned into bytes once. Koa serialises an object body when it sends it, and koa-etag
// and the gzip layer each did the same before that: three JSON.stringify calls per API answer.
// Sitting just inside the ETag layer, this leaves every layer above a Buffer (same Content-Type).
import type { Next } from 'koa';
import type { AppContext } from '../platform/state.js';

/** A body Koa holds in memory, as the bytes it would send; undefined for streams, files and empty bodies. */
export function bytesOf(body: unknown): Buffer | undefined {
  if (Buffer.isBuffer(body)) return body;
  if (typeof body === 'string') return Buffer.from(body);
  if (body !== null && typeof body === 'object' && (Array.isArray(body) || Object.getPrototypeOf(body) === Object.prototype)) {
    return Buffer.from(JSON.stringify(body));
  }
  return undefined;
}

export function jsonOnce() {
  return async function jsonOnce(ctx: AppContext, next: Next) {
    await next();
    const { body } = ctx;
    if (body === null || typeof body !== 'object' || Buffer.isBuffer(body)) return;
    const bytes = bytesOf(body);
    if (bytes) ctx.body = bytes; // the Content-Type Koa set for the object (JSON) stays
  };
}
