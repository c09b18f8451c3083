// JSON API for accounts: register, sign in, current user, update.
import { Router } from '@koa/router';
import { requestOrigin, requireUser } from '../core/state.js';
import { signInWithinLimits } from './login-attempts.js';
import type { RequestState } from '../core/state.js';
import type { AppDeps } from '../runtime/deps.js';
import { parseBody } from '../core/validation.js';
import { loginInput, registerInput, resetInput, resetRequestInput, updateInput } from './user.schema.js';
import { mailResetLink, resetPassword } from './reset.service.js';
import { mailEnabled } from '../mail/outbox.js';
import { siteOrigin } from '../settings/settings.service.js';
import { forbidden } from '../core/errors.js';
import { findUserByPublicId, registerUser, updateUser, type User } from './user.service.js';

/** The contract's User: an explicit allow-list of fields, so nothing else can leak. */
export function userJson(user: User, token: string) {
  return { user: { email: user.email, token, username: user.username, bio: user.bio, image: user.image } };
}

export function userRoutes(deps: AppDeps) {
  const { database, tokens } = deps;
  const { db } = database;
  const router = new Router<RequestState>();

  router.post('/users', async (ctx) => {
    const input = parseBody(registerInput, ctx.request.body, 'user');
    // Our extension: an invitation's token, for a site whose sign-up is by invitation or closed.
    const invite = (ctx.request.body as { user?: { invite?: unknown } } | undefined)?.user?.invite;
    const user = await registerUser(db, input, { invite: typeof invite === 'string' && invite !== '' ? invite : undefined });
    ctx.status = 201;
    ctx.body = userJson(user, await tokens.sign(user.publicId));
  });

  router.post('/users/login', async (ctx) => {
    const input = parseBody(loginInput, ctx.request.body, 'user');
    const user = await signInWithinLimits(ctx, deps, input);
    ctx.body = userJson(user, await tokens.sign(user.publicId));
  });

  // Our extension: ask for a reset link by email. 202 whether or not the address has an account.
  router.post('/users/password-reset-request', async (ctx) => {
    const { email } = parseBody(resetRequestInput, ctx.request.body, 'user');
    if (!mailEnabled(deps.config)) throw forbidden('reset', 'is by an admin on this site: it sends no mail');
    const origin = await siteOrigin(db, requestOrigin(ctx));
    await mailResetLink(db, email, origin);
    ctx.status = 202;
    ctx.body = {};
  });

  // Our extension: a reset link's token and a new password; answers as a sign-in does.
  router.post('/users/password-reset', async (ctx) => {
    const { token, password } = parseBody(resetInput, ctx.request.body, 'reset');
    const row = await resetPassword(db, token, password);
    const user = await findUserByPublicId(db, row.public_id);
    if (!user) throw forbidden('account', 'is banned from this site');
    ctx.body = userJson(user, await tokens.sign(user.publicId));
  });

  router.get('/user', async (ctx) => {
    const user = requireUser(ctx);
    ctx.body = userJson(user, ctx.state.token!);
  });

  router.put('/user', async (ctx) => {
    const current = requireUser(ctx);
    const input = parseBody(updateInput, ctx.request.body, 'user');
    const user = await updateUser(db, current, input);
    // After a password change the old token no longer works: hand back one for the new public id.
    ctx.body = userJson(user, user.publicId === current.publicId ? ctx.state.token! : await tokens.sign(user.publicId));
  });

  return router;
}
