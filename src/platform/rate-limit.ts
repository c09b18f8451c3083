// Fixed-window counters for rate limits: in Redis when it is configured, so every worker and
// machine counts together; otherwise in this process's memory (right for a single process).
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

/** Expired windows are dropped on a hit once this many keys are held, so memory stays bounded. */
const SWEEP_ABOVE = 10_000;

export function memoryWindowCounter(): WindowCounter {
  const windows = new Map<string, { count: number; resetAt: number }>();
  const sweep = (now: number) => {
    for (const [key, w] of windows) if (w.resetAt <= now) windows.delete(key);
  };
  return {
    async hit(key, windowMs) {
      const now = Date.now();
      if (windows.size > SWEEP_ABOVE) sweep(now);
      let w = windows.get(key);
      if (!w || w.resetAt <= now) {
        w = { count: 0, resetAt: now + windowMs };
        windows.set(key, w);
      }
      w.count += 1;
      return { count: w.count, resetInMs: w.resetAt - now };
    },
    async reset(key) {
      windows.delete(key);
    },
  };
}
