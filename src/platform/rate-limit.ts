// Fixed-window counters for rate limits: in Redis when it is configured, otherwise in the database —
// either way every worker (and every machine on the same store) counts together.
import type { DatabaseHandle } from './db.js';
import { clearWindow, dropExpiredWindows, hitWindow } from './rate-limit.repo.js';
import type { Redis } from './redis.js';

export interface WindowHit {
  /** Hits in the current window, this one included. */
  count: number;
  /** Milliseconds until the window ends and the count starts over. */
  resetInMs: number;
}

export interface WindowCounter {
  hit(key: string, windowMs: number): Promise<WindowHit>;
  reset(key: string): Promise<void>;
}

// INCR and PEXPIRE in one step, so a crash between them cannot leave a counter that never expires.
const HIT_SCRIPT = `
local count = redis.call('INCR', KEYS[1])
local ttl = redis.call('PTTL', KEYS[1])
if count == 1 or ttl < 0 then
  redis.call('PEXPIRE', KEYS[1], ARGV[1])
  ttl = tonumber(ARGV[1])
end
return {count, ttl}`;

export function redisWindowCounter(redis: Redis, prefix: string): WindowCounter {
  return {
    async hit(key, windowMs) {
      const [count, ttl] = (await redis.eval(HIT_SCRIPT, 1, prefix + key, windowMs)) as [number, number];
      return { count, resetInMs: ttl };
    },
    async reset(key) {
      await redis.del(prefix + key);
    },
  };
}

/** Roughly one hit in this many also deletes expired windows, so the table stays small. */
const SWEEP_ONE_IN = 200;

export function databaseWindowCounter(database: DatabaseHandle, prefix: string): WindowCounter {
  return {
    async hit(key, windowMs) {
      const now = Date.now();
      if (Math.random() * SWEEP_ONE_IN < 1) await dropExpiredWindows(database, now);
      const { count, resetAt } = await hitWindow(database, prefix + key, windowMs, now);
      return { count, resetInMs: Math.max(0, resetAt - now) };
    },
    reset: (key) => clearWindow(database, prefix + key),
  };
}
