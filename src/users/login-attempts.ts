// Applies the sign-in rate limit to a request: the API's POST /api/users/login and the login page
// both call these, with the email they are about to check.
import { AppError } from '../platform/errors.js';
import type { AppContext, AppDeps } from '../platform/state.js';
import { loginLimiter } from './login-limit.js';

const tooManyAttempts = () => new AppError('rate_limited', { credentials: ['too many attempts, try again later'] });

/** Counts this attempt; throws 429 (with Retry-After) when this address has spent its budget for this email. */
export async function limitLoginAttempts(ctx: AppContext, deps: Pick<AppDeps, 'config' | 'redis' | 'database'>, email: string): Promise<void> {
  const verdict = await loginLimiter(deps).attempt(ctx.ip, email);
  if (verdict.allowed) return;
  ctx.set('Retry-After', String(verdict.retryAfterSeconds));
  throw tooManyAttempts();
}

/** After a successful sign-in: the address starts over for this email. */
export async function forgetLoginAttempts(ctx: AppContext, deps: Pick<AppDeps, 'config' | 'redis' | 'database'>, email: string): Promise<void> {
  await loginLimiter(deps).reset(ctx.ip, email);
}
