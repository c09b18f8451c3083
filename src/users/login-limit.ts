// The sign-in rate limits, two budgets per window (LOGIN_WINDOW_SECONDS): LOGIN_MAX_ATTEMPTS per client
// address and email, and LOGIN_ADDRESS_MAX_ATTEMPTS per address whatever the email, so one address
// trying a new email each time is cut off too. Counted in Redis or the database (limits/rate-limit.ts),
// so a pm2 cluster or several machines share them. Knows nothing of HTTP; login-attempts.ts applies it.
import { createHash } from 'node:crypto';
import { limiterFor, type LimitDeps } from '../limits/rate-limit.js';

export interface LoginVerdict {
  allowed: boolean;
  /** Seconds until the window ends (for Retry-After). */
  retryAfterSeconds: number;
}

export interface LoginLimiter {
  /** Counts one attempt by this address for this email, and says whether it may go ahead. */
  attempt(ip: string, email: string): Promise<LoginVerdict>;
  /** Gives the attempt back: a dependency was down, so it checked no password. */
  refund(ip: string, email: string): Promise<void>;
  /** Forgets this email's attempts from this address after a successful sign-in. */
  reset(ip: string, email: string): Promise<void>;
}

/** The API and the pages share one count because it lives in Redis or the database, not here. */
export function loginLimiter(deps: LimitDeps): LoginLimiter {
  const { config } = deps;
  const windowSeconds = config.LOGIN_WINDOW_SECONDS;
  const perEmail = limiterFor(deps, { name: 'login', points: config.LOGIN_MAX_ATTEMPTS, windowSeconds });
  const perAddress = limiterFor(deps, { name: 'login-address', points: config.LOGIN_ADDRESS_MAX_ATTEMPTS, windowSeconds });
  // Hashed: keys stay short and a look at Redis shows no email addresses.
  const keyOf = (ip: string, email: string) => createHash('sha256').update(`${ip}\n${email.trim().toLowerCase()}`).digest('base64url');
  return {
    async attempt(ip, email) {
      // The address first: a spray it has cut off costs no per-email counter for each new email.
      const byAddress = await perAddress.take(ip);
      return byAddress.allowed ? perEmail.take(keyOf(ip, email)) : byAddress;
    },
    async refund(ip, email) {
      await Promise.all([perEmail.giveBack(keyOf(ip, email)), perAddress.giveBack(ip)]);
    },
    reset: (ip, email) => perEmail.forget(keyOf(ip, email)),
  };
}
