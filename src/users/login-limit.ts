// The sign-in rate limit: LOGIN_MAX_ATTEMPTS per client address and email per window, counted in
// Redis when REDIS_URL is set, else in the database, so a pm2 cluster or several machines share one budget. A successful
// sign-in starts the count over. Knows nothing of HTTP; login-attempts.ts applies it to a request.
import { createHash } from 'node:crypto';
import type { AppDeps } from '../platform/state.js';
import { databaseWindowCounter, redisWindowCounter, type WindowCounter } from '../platform/rate-limit.js';

export interface LoginVerdict {
  allowed: boolean;
  /** Seconds until the window ends (for Retry-After). */
  retryAfterSeconds: number;
}

export interface LoginLimiter {
  /** Counts one attempt by this address for this email, and says whether it may go ahead. */
  attempt(ip: string, email: string): Promise<LoginVerdict>;
  /** Forgets the attempts after a successful sign-in. */
  reset(ip: string, email: string): Promise<void>;
}

/** The API and the pages share one count because it lives in Redis or the database, not here. */
export function loginLimiter(deps: Pick<AppDeps, 'config' | 'redis' | 'database'>): LoginLimiter {
  const { config, redis, database } = deps;
  const counter: WindowCounter = redis ? redisWindowCounter(redis, `${config.REDIS_PREFIX}login:`) : databaseWindowCounter(database, 'login:');
  const windowMs = config.LOGIN_WINDOW_SECONDS * 1000;
  // Hashed: keys stay short and a look at Redis shows no email addresses.
  const keyOf = (ip: string, email: string) => createHash('sha256').update(`${ip}\n${email.trim().toLowerCase()}`).digest('base64url');
  return {
    async attempt(ip, email) {
      const { count, resetInMs } = await counter.hit(keyOf(ip, email), windowMs);
      return { allowed: count <= config.LOGIN_MAX_ATTEMPTS, retryAfterSeconds: Math.max(1, Math.ceil(resetInMs / 1000)) };
    },
    reset: (ip, email) => counter.reset(keyOf(ip, email)),
  };
}
