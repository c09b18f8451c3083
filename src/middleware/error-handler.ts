// The outermost layer: every error ends here. User mistakes become the contract's 4xx,
// dependency outages a 503, and anything else a plain 500 with the request id and a full log line.
import type { Next } from 'koa';
import { AppError, isDependencyDown, notFound, unavailable, type FieldErrors } from '../core/errors.js';
import type { Logger } from '../runtime/logger.js';
import { isApiPath, type AppContext } from '../core/state.js';

/** Sent with every 503: a stalled or lost dependency is given up on within seconds, and the client may try again as soon. */
export const RETRY_AFTER_SECONDS = '5';

export interface ErrorPageRenderer {
  (ctx: AppContext, status: number, errors: FieldErrors): Promise<void> | void;
}

interface HttpishError { status?: number; statusCode?: number; expose?: boolean; type?: string; message?: string; code?: unknown }

/** Map anything thrown to an AppError when it is the client's fault or an outage; else undefined. */
export function classify(err: unknown): AppError | undefined {
  if (err instanceof AppError) return err;
  if (isDependencyDown(err)) return unavailable();
  const e = (err ?? {}) as HttpishError;
  const status = e.status ?? e.statusCode;
  if (e.type === 'entity.parse.failed' || (status === 400 && /JSON/i.test(e.message ?? ''))) {
    return new AppError('malformed_body', { body: ['is not valid JSON'] });
  }
  if (status === 413 || e.type === 'entity.too.large') return new AppError('too_large', { body: ['is too large'] });
  // A body sent gzip- or deflate-encoded that does not inflate: zlib's errors carry no HTTP status.
  if (typeof e.code === 'string' && e.code.startsWith('Z_')) return new AppError('malformed_body', { body: ['cannot be decompressed'] });
  if (typeof status === 'number' && status >= 400 && status < 500) {
    const known = new AppError('malformed_body', { request: [e.expose && e.message ? e.message : 'is invalid'] });
    return Object.assign(known, { status });
  }
  return undefined;
}

export function errorHandler(opts: { logger: Logger; renderPage?: ErrorPageRenderer }) {
  return async function errorHandler(ctx: AppContext, next: Next) {
    try {
      await next();
      if (ctx.status === 404 && ctx.body === undefined && isApiPath(ctx.path)) throw notFound('route');
      // The router's allowedMethods() answers 405 with an Allow header and no body: give it the contract's.
      if (ctx.status === 405 && ctx.body === undefined && isApiPath(ctx.path)) throw new AppError('not_allowed', { method: ['is not allowed'] });
    } catch (err) {
      const known = classify(err);
      const status = known?.status ?? 500;
      const errors: FieldErrors = known?.errors ?? { server: [`internal error (request id ${ctx.state.requestId})`] };
      if (!known) opts.logger.error({ err, requestId: ctx.state.requestId, method: ctx.method, url: ctx.url }, 'unhandled error');
      else if (status === 503) opts.logger.warn({ err, requestId: ctx.state.requestId }, 'dependency unavailable');
      ctx.status = status;
      if (status === 503) ctx.set('Retry-After', RETRY_AFTER_SECONDS);
      if (!isApiPath(ctx.path) && opts.renderPage) {
        await opts.renderPage(ctx, status, errors);
      } else {
        ctx.body = { errors };
      }
    }
  };
}
