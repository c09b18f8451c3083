// GET /healthz: each dependency's state, checked within its own timeout, so a stalled one cannot
// hang the probe. 200 while this worker can serve (the database answers), 503 when it cannot.
// Redis only degrades: cached and anonymous pages need none of it, and every worker shares it, so
// taking workers out of nginx's rotation for it would stop what they can still serve.
import type { Next } from 'koa';
import type { DatabaseHandle } from '../db/database.js';
import { isDatabaseTimeout } from '../db/mysql-pool.js';
import { RETRY_AFTER_SECONDS } from './error-handler.js';
import { isRedisTimeout, type Redis } from '../db/redis.js';
import type { AppContext } from '../core/state.js';
import type { AppDeps } from '../runtime/deps.js';

/** ok; timeout: connected (or waited for) but no answer in time; down: refused, closed or failed. */
export type DependencyState = 'ok' | 'timeout' | 'down';

const TIMED_OUT = Symbol('timed out');

/** Resolves to the check's state, or 'timeout' after ms whatever the check is doing. */
async function stateOf(check: () => Promise<unknown>, ms: number, isTimeout: (err: unknown) => boolean): Promise<DependencyState> {
  let timer: NodeJS.Timeout | undefined;
  const deadline = new Promise<typeof TIMED_OUT>((resolve) => { timer = setTimeout(resolve, ms, TIMED_OUT); });
  try {
    return (await Promise.race([check(), deadline])) === TIMED_OUT ? 'timeout' : 'ok';
  } catch (err) {
    return isTimeout(err) ? 'timeout' : 'down';
  } finally {
    clearTimeout(timer);
  }
}

function databaseState(database: DatabaseHandle, ms: number): Promise<DependencyState> {
  return stateOf(() => database.ping(), ms, isDatabaseTimeout);
}

function redisState(redis: Redis, ms: number): Promise<DependencyState> {
  // Connected but the handshake unanswered: a stalled Redis, not a refusing one.
  if (redis.status === 'connect') return Promise.resolve('timeout');
  return stateOf(() => redis.ping(), ms, isRedisTimeout);
}

export function health(deps: Pick<AppDeps, 'database' | 'redis' | 'config'>) {
  const { database, redis, config } = deps;
  return async function health(ctx: AppContext, next: Next) {
    if (ctx.path !== '/healthz') return next();
    const [db, rd] = await Promise.all([
      databaseState(database, config.DATABASE_TIMEOUT_MS),
      redis ? redisState(redis, config.REDIS_TIMEOUT_MS) : undefined,
    ]);
    const status = db !== 'ok' ? 'unavailable' : rd && rd !== 'ok' ? 'degraded' : 'ok';
    ctx.status = db === 'ok' ? 200 : 503;
    if (db !== 'ok') ctx.set('Retry-After', RETRY_AFTER_SECONDS);
    ctx.set('Cache-Control', 'no-store');
    ctx.body = { status, database: db, ...(rd ? { redis: rd } : {}) };
  };
}
