// Applies the sign-in rate limit to a request: the API's POST /api/users/login and the login page
// both call these, with the email they are about to check.
import { AppError } from '../platform/errors.js';
import type { AppContext, AppDeps } from '../platform/state.js';
import { loginLimiter, type LoginLimiter } from './login-limit.js';

type LimitDeps = Pick<AppDeps, 'config' | 'redis' | 'database'>;

/** One limiter per app (its counter holds nothing but the connection it was given), made on first use. */
const limiters = new WeakMap<LimitDeps, LoginLimiter>();
function limiterFor(deps: LimitDeps): LoginLimiter {
  let limiter = limiters.get(deps);
  if (!limiter) limiters.set(deps, (limiter = loginLimiter(deps)));
  return limiter;
}

const tooManyAttempts = () => new AppError('rate_limited', { credentials: ['too many attempts, try again later'] });

/** Counts this attempt; throws 429 (with Retry-After) when this address has spent its budget for this email. */
export async function limitLoginAttempts(ctx: AppContext, deps: LimitDeps, email: string): Promise<void> {
  const verdict = await limiterFor(deps).attempt(ctx.ip, email);
  if (verdict.allowed) return;
  ctx.set('Retry-After', String(verdict.retryAfterSeconds));
  throw tooManyAttempts();
}

/** After a successful sign-in: the address starts over for this email. */
export async function forgetLoginAttempts(ctx: AppContext, deps: LimitDeps, email: string): Promise<void> {
  await limiterFor(deps).reset(ctx.ip, email);
}
