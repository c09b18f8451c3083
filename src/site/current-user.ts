// The pages' signed-in user: loaded from the session's public id on every request, so a changed or
// deleted account takes effect at once. Here rather than in sessions/, which knows no feature.
import type { Next } from 'koa';
import type { AppContext } from '../core/state.js';
import type { AppDeps } from '../runtime/deps.js';
import { forgetSessionUser, sessionUserId } from '../sessions/session.js';
import { findUserByPublicId } from '../users/user.service.js';

export function currentUser(deps: Pick<AppDeps, 'database'>) {
  return async function currentUser(ctx: AppContext, next: Next) {
    const publicId = sessionUserId(ctx);
    if (publicId) {
      const user = await findUserByPublicId(deps.database.db, publicId);
      if (user) ctx.state.user = user;
      else forgetSessionUser(ctx);
    }
    await next();
  };
}
