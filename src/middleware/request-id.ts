// Gives every request an id (kept from a trusted X-Request-Id when sane) and echoes it back.
import { randomUUID } from 'node:crypto';
import type { Next } from 'koa';
import type { AppContext } from '../platform/state.js';

const sane = /^[\w.:-]{1,128}$/;

export function requestId() {
  return async function requestId(ctx: AppContext, next: Next) {
    const incoming = ctx.get('X-Request-Id');
    ctx.state.requestId = sane.test(incoming) ? incoming : randomUUID();
    ctx.set('X-Request-Id', ctx.state.requestId);
    await next();
  };
}
