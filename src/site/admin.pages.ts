// /admin: the admin area's dashboard and its people pages (search, roles, suspensions and bans,
// deleting an account); invites and settings are in admin-site.pages.ts. Every rule is the admin service's; these pages only read forms and show
// results. Signed out → /login; signed in without the capability → the service's 403 page.
import { Router } from '@koa/router';
import { forbidden } from '../core/errors.js';
import type { AppContext, RequestState, User } from '../core/state.js';
import type { AppDeps } from '../runtime/deps.js';
import { setFlash } from '../sessions/session.js';
import { deletePerson, getPerson, listPeople, resetLinkFor, resetUrl, setRole, setStatus } from '../admin/admin.service.js';
import { can, ROLES, STATUSES, type Capability } from '../users/roles.js';
import { fieldErrorsOf, formBody, localPath, userOrLogin } from './forms.js';
import { pageOf, pager } from './paging.js';
import { canonicalOrigin, type Renderer, type Vars } from './render.js';

const PEOPLE_PER_PAGE = 25;

/** The admin area's sections, each shown to whoever has its capability. */
const SECTIONS: { key: string; label: string; href: string; capability: Capability }[] = [
  { key: 'users', label: 'Users', href: '/admin/users', capability: 'manage_users' },
  { key: 'invites', label: 'Invites', href: '/admin/invites', capability: 'invite' },
  { key: 'settings', label: 'Settings', href: '/admin/settings', capability: 'manage_settings' },
  { key: 'moderation', label: 'Moderation', href: '/admin/moderation', capability: 'moderate_comments' },
  { key: 'stats', label: 'Stats', href: '/admin/stats', capability: 'view_stats' },
];

/** The admin area's navigation for this user, `current` marked (the layout shows it above the page). */
export function adminNav(user: User, current: string) {
  return [{ key: 'dashboard', label: 'Dashboard', href: '/admin' }, ...SECTIONS.filter((s) => can(user, s.capability))]
    .map((s) => ({ label: s.label, href: s.href, current: s.key === current }));
}

/**
 * Renders an admin page with the area's navigation. Never stored anywhere: the pages are only for
 * signed-in users (whom the response cache skips), and one of them shows an invitation link once.
 */
export function adminPage(view: Renderer, ctx: AppContext, user: User, section: string, template: string, vars: Vars, status = 200) {
  view.page(ctx, template, { adminNav: adminNav(user, section), ...vars }, status);
  ctx.set('Cache-Control', 'private, no-store');
}

/** Where a form on a list page sends its user back to: the list as they left it. */
const backTo = (ctx: AppContext, fallback: string) => localPath(formBody(ctx).back, fallback);

/** The first message of a service's refusal the user can act on, for a flash. */
const firstMessage = (err: unknown) => {
  const [field, messages] = Object.entries(fieldErrorsOf(err))[0] ?? ['request', ['was refused']];
  return `${field[0]!.toUpperCase()}${field.slice(1)} ${messages[0]}.`;
};

const optionalParam = (value: unknown) => (typeof value === 'string' && value !== '' ? value : undefined);

export function adminPages(deps: AppDeps, view: Renderer) {
  const { db } = deps.database;
  const router = new Router<RequestState>();

  router.get('/admin', (ctx) => {
    const user = userOrLogin(ctx);
    if (!user) return;
    if (!can(user, 'manage_users') && !can(user, 'view_stats')) throw forbidden('admin');
    adminPage(view, ctx, user, 'dashboard', 'admin/dashboard', {
      title: 'Admin', description: 'Run the site: people, invitations, settings and statistics.',
      sections: SECTIONS.filter((s) => can(user, s.capability)).map((s) => s.key),
    });
  });

  router.get('/admin/users', async (ctx) => {
    const user = userOrLogin(ctx);
    if (!user) return;
    const filters = { q: optionalParam(ctx.query.q), role: optionalParam(ctx.query.role), status: optionalParam(ctx.query.status) };
    const { page, limit, offset } = pageOf(ctx, PEOPLE_PER_PAGE);
    const { people, count } = await listPeople(db, user, { ...filters, limit, offset });
    adminPage(view, ctx, user, 'users', 'admin/users', {
      title: 'Users', description: 'Everyone with an account: roles, suspensions and bans.',
      people, count, filters, roles: ROLES, statuses: STATUSES, pager: pager(ctx, page, count, PEOPLE_PER_PAGE),
      back: ctx.originalUrl, me: user.username,
    });
  });

  // Role and status changes come from the list's rows: a refusal (the last admin) is a flash on the list.
  router.post('/admin/users/:username/role', async (ctx) => {
    const user = userOrLogin(ctx);
    if (!user) return;
    try {
      const person = await setRole(db, user, ctx.params.username!, formBody(ctx).role ?? '');
      setFlash(ctx, 'success', `@${person.username} is now ${person.role === 'admin' || person.role === 'editor' ? 'an' : 'a'} ${person.role}.`);
    } catch (err) {
      setFlash(ctx, 'error', firstMessage(err));
    }
    ctx.redirect(backTo(ctx, '/admin/users'));
  });

  router.post('/admin/users/:username/status', async (ctx) => {
    const user = userOrLogin(ctx);
    if (!user) return;
    try {
      const person = await setStatus(db, user, ctx.params.username!, formBody(ctx).status ?? '');
      setFlash(ctx, 'success', `@${person.username} is now ${person.status}.`);
    } catch (err) {
      setFlash(ctx, 'error', firstMessage(err));
    }
    ctx.redirect(backTo(ctx, '/admin/users'));
  });

  // A password reset link for the account, shown once on the answer to this POST (only its hash is kept).
  router.post('/admin/users/:username/reset', async (ctx) => {
    const user = userOrLogin(ctx);
    if (!user) return;
    const person = await getPerson(db, user, ctx.params.username!);
    const { token, expiresAt } = await resetLinkFor(db, user, person.username);
    adminPage(view, ctx, user, 'users', 'admin/reset-link', {
      title: `Reset link for @${person.username}`, description: 'A single-use link to set a new password.',
      person, link: resetUrl(canonicalOrigin(ctx, await view.settings(ctx)), token), expiresAt,
    });
  });

  const deletePage = async (ctx: AppContext, user: User, vars: Vars, status = 200) => {
    const person = await getPerson(db, user, ctx.params.username!);
    adminPage(view, ctx, user, 'users', 'admin/delete-user', {
      title: `Delete @${person.username}?`, description: 'Delete an account, with its content or giving it to someone else.',
      person, form: { content: 'delete', to: '' }, errors: {}, ...vars,
    }, status);
  };

  router.get('/admin/users/:username/delete', async (ctx) => {
    const user = userOrLogin(ctx);
    if (user) await deletePage(ctx, user, {});
  });

  router.post('/admin/users/:username/delete', async (ctx) => {
    const user = userOrLogin(ctx);
    if (!user) return;
    const { content = '', to = '' } = formBody(ctx);
    try {
      await deletePerson(db, user, ctx.params.username!, { content, to: to.trim() || undefined });
      setFlash(ctx, 'success', `@${ctx.params.username} has been deleted.`);
      ctx.redirect('/admin/users');
    } catch (err) {
      await deletePage(ctx, user, { form: { content, to }, errors: fieldErrorsOf(err) }, 422);
    }
  });

  return router;
}
