// Applies the sign-in limits to a request: the API's POST /api/users/login and the login page both
// sign in through signInWithinLimits, which counts the attempt, checks the password in one of the
// worker's few checking slots, and gives the attempt back when an outage stopped it.
import { AppError, isDependencyDown } from '../core/errors.js';
import type { LimitDeps } from '../limits/rate-limit.js';
import type { AppContext } from '../core/state.js';
import { loginLimiter, type LoginLimiter } from './login-limit.js';
import { PasswordCheckSlots, PasswordChecksBusy } from './password.js';
import type { LoginInput } from './user.schema.js';
import { authenticate, type User } from './user.service.js';

interface SignInParts { limiter: LoginLimiter; slots: PasswordCheckSlots }

/** One limiter and one set of slots per app, made on first use. */
const parts = new WeakMap<LimitDeps, SignInParts>();
function partsFor(deps: LimitDeps): SignInParts {
  let made = parts.get(deps);
  if (!made) parts.set(deps, (made = { limiter: loginLimiter(deps), slots: new PasswordCheckSlots(deps.config.SIGNIN_HASHES_IN_FLIGHT) }));
  return made;
}

const tooManyAttempts = () => new AppError('rate_limited', { credentials: ['too many attempts, try again later'] });

/**
 * A database or Redis outage, raw or already made a 503. A flood's attempts refused for want of a
 * checking slot still count: given back, they would let one address spray without ever reaching 429.
 */
const outage = (err: unknown) => isDependencyDown(err) || (err instanceof AppError && err.code === 'unavailable' && !(err instanceof PasswordChecksBusy));

/**
 * Counts this attempt against this address's budgets (429 with Retry-After once one is spent), then
 * checks the credentials. A success starts this email's count over; an attempt an outage stopped
 * is given back, so an outage cannot lock anyone out.
 */
export async function signInWithinLimits(ctx: AppContext, deps: LimitDeps, input: LoginInput): Promise<User> {
  const { limiter, slots } = partsFor(deps);
  const verdict = await limiter.attempt(ctx.ip, input.email);
  if (!verdict.allowed) {
    ctx.set('Retry-After', String(verdict.retryAfterSeconds));
    throw tooManyAttempts();
  }
  let user: User;
  try {
    user = await slots.run(ctx.ip, () => authenticate(deps.database.db, input));
  } catch (err) {
    // The outage is what the client must hear of, even if giving back fails too.
    if (outage(err)) await limiter.refund(ctx.ip, input.email).catch(() => undefined);
    throw err;
  }
  await limiter.reset(ctx.ip, input.email);
  return user;
}
