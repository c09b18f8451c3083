// Gives every request an id (kept from an incoming X-Request-Id when sane), echoes it back, and
// makes it the request id of every log line written while the request is served.
import { randomUUID } from 'node:crypto';
import type { Next } from 'koa';
import { runWithRequestId } from '../platform/logger.js';
import type { AppContext } from '../platform/state.js';

const sane = /^[\w.:-]{1,128}$/;

export function requestId() {
  return async function requestId(ctx: AppContext, next: Next) {
    const incoming = ctx.get('X-Request-Id');
    ctx.state.requestId = sane.test(incoming) ? incoming : randomUUID();
    ctx.set('X-Request-Id', ctx.state.requestId);
    await runWithRequestId(ctx.state.requestId, next);
  };
}
