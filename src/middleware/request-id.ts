// Gives every request an id (kept from a sane X-Request-Id, which forwarded-headers lets through only
// from a trusted proxy) in ctx.state.requestId, for the log lines written while serving it, and
// echoes it back.
import { randomUUID } from 'node:crypto';
import type { Next } from 'koa';
import type { AppContext } from '../core/state.js';

const sane = /^[\w.:-]{1,128}$/;

/** A trusted proxy's id when it is sane, else a new one. */
export function chooseRequestId(incoming: string | undefined): string {
  return incoming && sane.test(incoming) ? incoming : randomUUID();
}

export function requestId() {
  return async function requestId(ctx: AppContext, next: Next) {
    // Only a proxy's id arrives here (nginx's $request_id ties its log to ours); a client's could forge or collide.
    ctx.state.requestId = chooseRequestId(ctx.get('X-Request-Id'));
    ctx.set('X-Request-Id', ctx.state.requestId);
    await next();
  };
}
