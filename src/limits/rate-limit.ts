// Rate limits on rate-limiter-flexible, shared by every worker and machine: counted in Redis when
// REDIS_URL is set, else in the database's rate_limits table. When that store fails or stalls, each
// worker counts in its own memory until the store answers again (docs/decisions/19-rate-limits.md).
import { RateLimiterMemory, RateLimiterRedis, RateLimiterRes, RLWrapperTimeouts, type RateLimiterAbstract } from 'rate-limiter-flexible';
import RateLimiterStoreAbstract from 'rate-limiter-flexible/lib/RateLimiterStoreAbstract.js';
import type { DatabaseHandle } from '../db/database.js';
import { addToWindow, clearWindow, dropExpiredWindows, readWindow, type WindowRow } from './rate-limit.repo.js';
import type { AppDeps } from '../runtime/deps.js';

export interface LimitSpec {
  /** Names the counters in the store ("login", "write-account" …). */
  name: string;
  /** How many points a key may spend in one window. */
  points: number;
  windowSeconds: number;
}

export interface LimitVerdict {
  allowed: boolean;
  /** Seconds until the window ends (for Retry-After); 0 when allowed. */
  retryAfterSeconds: number;
}

export interface Limiter {
  /** Spends one point of key's budget, and says whether it may go ahead. */
  take(key: string): Promise<LimitVerdict>;
  /** Gives back a point taken for something that did not happen after all. */
  giveBack(key: string): Promise<void>;
  /** Starts key's budget over. */
  forget(key: string): Promise<void>;
}

export type LimitDeps = Pick<AppDeps, 'config' | 'redis' | 'database'>;

/**
 * A store slower than this is treated as down for that one hit (counted in memory instead), so a
 * stalled Redis or MariaDB delays a write by at most this much on the limiter's account.
 */
const STORE_TIMEOUT_MS = 500;

/** Roughly one hit in this many also deletes expired windows, so the table stays small. */
const SWEEP_ONE_IN = 200;

/**
 * rate-limiter-flexible's store contract on our own Kysely handle. Its SQLite and MySQL stores
 * want the raw better-sqlite3 handle or mysql2 pool, which would bypass Kysely's connection
 * mutex (SQLite) and our pool's acquire and query timeouts (MySQL); this one runs the same two
 * statements on both dialects, through the same pool as every other query.
 */
class DatabaseLimiter extends RateLimiterStoreAbstract {
  private readonly database: DatabaseHandle;

  constructor(opts: { storeClient: DatabaseHandle; keyPrefix: string; points: number; duration: number; insuranceLimiter: RateLimiterAbstract; inMemoryBlockOnConsumed: number }) {
    super({ ...opts, tableCreated: true });
    this.database = opts.storeClient;
  }

  async _upsert(rlKey: string, points: number, msDuration: number, forceExpire = false): Promise<WindowRow> {
    if (Math.random() * SWEEP_ONE_IN < 1) await dropExpiredWindows(this.database);
    return addToWindow(this.database, rlKey, points, msDuration, { replace: forceExpire });
  }

  async _get(rlKey: string): Promise<WindowRow | null> {
    return (await readWindow(this.database, rlKey)) ?? null;
  }

  _delete(rlKey: string): Promise<boolean> {
    return clearWindow(this.database, rlKey);
  }

  _getRateLimiterRes(_rlKey: string, changedPoints: number, row: WindowRow): RateLimiterRes {
    const consumed = row.count;
    return new RateLimiterRes(Math.max(this.points - consumed, 0), Math.max(row.resetAt - Date.now(), 0), consumed, changedPoints === consumed);
  }
}

function storeLimiter(deps: LimitDeps, spec: LimitSpec): RateLimiterAbstract {
  const { config, redis, database } = deps;
  const opts = { points: spec.points, duration: spec.windowSeconds };
  const insuranceLimiter = new RateLimiterMemory({ ...opts, keyPrefix: spec.name });
  // A key refused once is refused from this worker's memory until its window ends: a flood's
  // later requests cost the store nothing. (Not at the last allowed point: that one may yet be
  // given back, and must not stay blocked here.)
  const store = { ...opts, insuranceLimiter, inMemoryBlockOnConsumed: spec.points + 1 };
  const limiter = redis
    ? new RateLimiterRedis({ ...store, storeClient: redis, keyPrefix: `${config.REDIS_PREFIX}${spec.name}`, rejectIfRedisNotReady: true })
    : new DatabaseLimiter({ ...store, storeClient: database, keyPrefix: spec.name });
  return new RLWrapperTimeouts({ limiter, timeoutMs: STORE_TIMEOUT_MS, insuranceLimiter }) as unknown as RateLimiterAbstract;
}

export function createLimiter(deps: LimitDeps, spec: LimitSpec): Limiter {
  const limiter = storeLimiter(deps, spec);
  return {
    async take(key) {
      try {
        await limiter.consume(key);
        return { allowed: true, retryAfterSeconds: 0 };
      } catch (err) {
        if (!(err instanceof RateLimiterRes)) throw err;
        return { allowed: false, retryAfterSeconds: Math.max(1, Math.ceil(err.msBeforeNext / 1000)) };
      }
    },
    async giveBack(key) {
      await limiter.reward(key);
    },
    async forget(key) {
      await limiter.delete(key);
    },
  };
}

/** One limiter per app and spec name, made on first use (it holds nothing but the store it was given). */
const made = new WeakMap<LimitDeps, Map<string, Limiter>>();
export function limiterFor(deps: LimitDeps, spec: LimitSpec): Limiter {
  let byName = made.get(deps);
  if (!byName) made.set(deps, (byName = new Map()));
  let limiter = byName.get(spec.name);
  if (!limiter) byName.set(spec.name, (limiter = createLimiter(deps, spec)));
  return limiter;
}
