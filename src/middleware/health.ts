// GET /healthz: 200 when this worker can serve (the database answers), 503 otherwise.
import type { Next } from 'koa';
import type { DatabaseHandle } from '../platform/db.js';
import type { AppContext } from '../platform/state.js';

export function health(database: DatabaseHandle) {
  return async function health(ctx: AppContext, next: Next) {
    if (ctx.path !== '/healthz') return next();
    try {
      await database.ping();
      ctx.body = { status: 'ok' };
    } catch {
      ctx.status = 503;
      ctx.body = { status: 'unavailable', errors: { database: ['unreachable'] } };
    }
  };
}
