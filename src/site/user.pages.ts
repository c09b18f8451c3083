// Accounts in the browser: register, sign in, sign out (POST), settings. Same services and
// validation as the JSON API; the session, not a token, carries who is signed in.
import { Router } from '@koa/router';
import { signInWithinLimits } from '../users/login-attempts.js';
import { setFlash, signIn, signOut } from '../sessions/session.js';
import { fieldErrorsOf, formBody, localPath, userOrLogin } from './forms.js';
import { canonicalOrigin, type Renderer } from './render.js';
import type { AppContext, RequestState } from '../core/state.js';
import type { AppDeps } from '../runtime/deps.js';
import { parseInput } from '../core/validation.js';
import { loginInput, passwordInput, registerInput, resetRequestInput, updateInput } from '../users/user.schema.js';
import { accountForReset, mailResetLink, resetPassword } from '../users/reset.service.js';
import { mailEnabled } from '../mail/outbox.js';
import { deleteOwnAccount, exportAccount } from '../account/account.service.js';
import { registerUser, signupAllowed, updateUserConfirmed } from '../users/user.service.js';

export function userPages(deps: AppDeps, view: Renderer) {
  const { db } = deps.database;
  const router = new Router<RequestState>();

  const loginPage = (ctx: AppContext, vars: object, status = 200) => view.page(ctx, 'users/login', {
    title: 'Sign in', description: 'Sign in to write, comment and follow on Quire.', form: {}, errors: {},
    next: localPath(ctx.query.next ?? formBody(ctx).next, ''), ...vars,
  }, status);
  const registerPage = (ctx: AppContext, vars: object, status = 200) => view.page(ctx, 'users/register', {
    title: 'Sign up', description: 'Create an account on Quire.', form: {}, errors: {}, ...vars,
  }, status);

  router.get('/login', (ctx) => (ctx.state.user ? ctx.redirect('/') : loginPage(ctx, {})));
  router.post('/login', async (ctx) => {
    const { email = '', password = '', next } = formBody(ctx);
    try {
      // The same budgets as the API's login: a 429 page once this address has guessed too often.
      const user = await signInWithinLimits(ctx, deps, parseInput(loginInput, { email, password }, 'user'));
      await signIn(ctx, user);
      setFlash(ctx, 'success', `Welcome back, ${user.username}.`);
      ctx.redirect(localPath(next));
    } catch (err) {
      const errors = fieldErrorsOf(err);
      if (errors.credentials) errors.credentials = ['Email or password is wrong.'];
      loginPage(ctx, { form: { email }, errors }, 422);
    }
  });

  /** The invitation a sign-up carries: ?invite= on the link, a hidden field once the form is posted. */
  const inviteOf = (value: unknown) => (typeof value === 'string' && value !== '' ? value : undefined);

  router.get('/register', async (ctx) => {
    if (ctx.state.user) return ctx.redirect('/');
    const invite = inviteOf(ctx.query.invite);
    // A site closed to sign-ups says so here, before anyone fills the form in (403 page).
    await signupAllowed(db, invite);
    registerPage(ctx, { invite });
  });
  router.post('/register', async (ctx) => {
    const { username = '', email = '', password = '', invite } = formBody(ctx);
    try {
      const user = await registerUser(db, parseInput(registerInput, { username, email, password }, 'user'), { invite: inviteOf(invite) });
      await signIn(ctx, user);
      setFlash(ctx, 'success', `Welcome to Quire, ${user.username}.`);
      ctx.redirect('/');
    } catch (err) {
      registerPage(ctx, { form: { username, email }, invite: inviteOf(invite), errors: fieldErrorsOf(err) }, 422);
    }
  });

  // A reset link (from an admin, `quire user reset-password`, or an email): one new password, once.
  // Its token is in the path, so a link that was used or has expired answers with the 403 page.
  const resetPage = (ctx: AppContext, vars: { token: string; username: string; errors?: object }, status = 200) => view.page(ctx, 'users/reset', {
    title: 'Choose a new password', description: 'Set a new password for your account.', errors: {}, ...vars,
  }, status);
  router.get('/reset/:token', async (ctx) => {
    const { account } = await accountForReset(db, ctx.params.token!);
    resetPage(ctx, { token: ctx.params.token!, username: account.username });
  });
  router.post('/reset/:token', async (ctx) => {
    const token = ctx.params.token!;
    const { account } = await accountForReset(db, token);
    try {
      const { password } = parseInput(passwordInput, { password: formBody(ctx).password ?? '' }, 'user');
      await resetPassword(db, token, password);
      signOut(ctx);
      setFlash(ctx, 'success', 'Your password is set. Sign in with it.');
      ctx.redirect('/login');
    } catch (err) {
      resetPage(ctx, { token, username: account.username, errors: fieldErrorsOf(err) }, 422);
    }
  });

  // Asking for a reset link by email, when the site sends mail; else the page says whom to ask.
  const forgotPage = (ctx: AppContext, vars: object, status = 200) => view.page(ctx, 'users/forgot', {
    title: 'Forgot your password?', description: 'Get a link to set a new password.', mail: mailEnabled(deps.config), form: {}, errors: {}, ...vars,
  }, status);
  router.get('/forgot', (ctx) => forgotPage(ctx, {}));
  router.post('/forgot', async (ctx) => {
    if (!mailEnabled(deps.config)) return forgotPage(ctx, {}, 403);
    const { email = '' } = formBody(ctx);
    try {
      const input = parseInput(resetRequestInput, { email }, 'user');
      await mailResetLink(db, input.email, canonicalOrigin(ctx, await view.settings(ctx)));
      setFlash(ctx, 'info', 'If an account has that address, a link to set a new password is on its way.');
      ctx.redirect('/login');
    } catch (err) {
      forgotPage(ctx, { form: { email }, errors: fieldErrorsOf(err) }, 422);
    }
  });

  router.post('/logout', (ctx) => {
    signOut(ctx);
    ctx.redirect('/');
  });

  const settingsPage = (ctx: AppContext, vars: object, status = 200) => view.page(ctx, 'users/settings', {
    title: 'Settings', description: 'Your profile and account on Quire.', errors: {}, ...vars,
  }, status);

  router.get('/settings', (ctx) => {
    const user = userOrLogin(ctx);
    if (user) settingsPage(ctx, { form: { image: user.image ?? '', username: user.username, bio: user.bio ?? '', email: user.email } });
  });
  router.post('/settings', async (ctx) => {
    const current = userOrLogin(ctx);
    if (!current) return;
    const { image = '', username = '', bio = '', email = '', password = '', current_password: currentPassword = '' } = formBody(ctx);
    const input = { image, username, bio, email, ...(password !== '' && { password }) };
    try {
      const user = await updateUserConfirmed(db, current, parseInput(updateInput, input, 'user'), currentPassword);
      // A new password rotates the account's public id (every other session and token ends) and this session's id.
      if (password !== '') await signIn(ctx, user);
      setFlash(ctx, 'success', 'Settings saved.');
      ctx.redirect('/settings');
    } catch (err) {
      settingsPage(ctx, { form: { image, username, bio, email }, errors: fieldErrorsOf(err) }, 422);
    }
  });

  // The account's own data, as a JSON file to keep or take elsewhere.
  router.get('/settings/export', async (ctx) => {
    const user = userOrLogin(ctx);
    if (!user) return;
    ctx.set('Content-Disposition', `attachment; filename="quire-${encodeURIComponent(user.username)}.json"`);
    ctx.body = await exportAccount(db, user);
  });

  const deletePage = (ctx: AppContext, vars: object, status = 200) => view.page(ctx, 'users/delete', {
    title: 'Delete your account', description: 'Delete your account and everything you wrote.', errors: {}, ...vars,
  }, status);
  router.get('/settings/delete', (ctx) => {
    if (userOrLogin(ctx)) deletePage(ctx, {});
  });
  router.post('/settings/delete', async (ctx) => {
    const user = userOrLogin(ctx);
    if (!user) return;
    try {
      await deleteOwnAccount(db, user, formBody(ctx).current_password ?? '');
      signOut(ctx);
      setFlash(ctx, 'info', 'Your account and everything you wrote are deleted.');
      ctx.redirect('/');
    } catch (err) {
      deletePage(ctx, { errors: fieldErrorsOf(err) }, 422);
    }
  });

  return router;
}
