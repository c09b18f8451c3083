// Rate limits on every write, through the API and the pages alike: WRITE_LIMIT_PER_ACCOUNT per signed-in
// account and WRITE_LIMIT_PER_ADDRESS per client address in each WRITE_LIMIT_WINDOW_SECONDS, counted
// in Redis or the database so every worker shares them. Sign-in has budgets of its own (users/login-limit.ts).
import type { Next } from 'koa';
import { AppError } from '../core/errors.js';
import { limiterFor, type LimitDeps } from './rate-limit.js';
import type { AppContext } from '../core/state.js';

const writeMethods = new Set(['POST', 'PUT', 'PATCH', 'DELETE']);

// Signing in is counted by its own limiter, and signing out must work even for an account that has spent its budget.
const ownBudget = new Set(['/api/users/login', '/login', '/logout']);

const tooManyWrites = () => new AppError('rate_limited', { writes: ['too many requests, try again later'] });

/**
 * Spends one write from the address's budget and, when someone is signed in, from the account's;
 * once either is spent, 429 with Retry-After until its window ends. Sits after authentication (and
 * CSRF, for pages), so a forged or unauthenticated request cannot spend someone else's account budget.
 */
export function writeLimits(deps: LimitDeps) {
  const { config } = deps;
  const windowSeconds = config.WRITE_LIMIT_WINDOW_SECONDS;
  const perAccount = limiterFor(deps, { name: 'write-account', points: config.WRITE_LIMIT_PER_ACCOUNT, windowSeconds });
  const perAddress = limiterFor(deps, { name: 'write-address', points: config.WRITE_LIMIT_PER_ADDRESS, windowSeconds });
  return async function writeLimits(ctx: AppContext, next: Next) {
    if (!writeMethods.has(ctx.method) || ownBudget.has(ctx.path)) return next();
    const user = ctx.state.user;
    const verdicts = await Promise.all([perAddress.take(ctx.ip), ...(user ? [perAccount.take(String(user.id))] : [])]);
    const refused = verdicts.filter((v) => !v.allowed);
    if (refused.length > 0) {
      ctx.set('Retry-After', String(Math.max(...refused.map((v) => v.retryAfterSeconds))));
      throw tooManyWrites();
    }
    return next();
  };
}
