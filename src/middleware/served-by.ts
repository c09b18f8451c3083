// X-Served-By: which instance answered, when INSTANCE_NAME is set — for operators reading responses
// through a load balancer, and for the tests that check how nginx spreads requests.
import type { Next } from 'koa';
import type { AppContext } from '../core/state.js';

export function servedBy(name: string) {
  return async function servedBy(ctx: AppContext, next: Next) {
    ctx.set('X-Served-By', name);
    await next();
  };
}
