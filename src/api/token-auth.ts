// API authentication: "Authorization: Token <jwt>" (or Bearer). A present but bad token is a 401
// even on routes where signing in is optional, so a client learns its token went stale.
import type { Next } from 'koa';
import { unauthorized } from '../core/errors.js';
import type { AppContext } from '../core/state.js';
import type { AppDeps } from '../runtime/deps.js';
import { findUserByPublicId } from '../users/user.service.js';

export function tokenAuth(deps: Pick<AppDeps, 'database' | 'tokens'>) {
  return async function tokenAuth(ctx: AppContext, next: Next) {
    const header = ctx.get('Authorization');
    if (header) {
      const match = /^(?:Token|Bearer)\s+(\S+)\s*$/i.exec(header);
      if (!match) throw unauthorized('token', 'is invalid');
      const publicId = await deps.tokens.verify(match[1]!);
      const user = publicId ? await findUserByPublicId(deps.database.db, publicId) : undefined;
      if (!user) throw unauthorized('token', 'is invalid');
      ctx.state.user = user;
      ctx.state.token = match[1]!;
      // A write may change what readers see only from here on: the response cache is invalidated now.
      await ctx.state.authenticatedWrite?.();
    }
    await next();
  };
}
