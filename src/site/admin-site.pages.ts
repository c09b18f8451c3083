// /admin/invites and /admin/settings: single-use sign-up links, and every site setting on one form.
// The rules are the invite and admin services' (and the settings schema's); these pages read forms,
// show what was refused beside the field, and say what changed.
import { Router } from '@koa/router';
import { z } from 'zod';
import type { FieldErrors } from '../core/errors.js';
import type { AppContext, RequestState, User } from '../core/state.js';
import { parseInput } from '../core/validation.js';
import type { AppDeps } from '../runtime/deps.js';
import { setFlash } from '../sessions/session.js';
import { siteSettings, updateSettings } from '../admin/admin.service.js';
import { SETTINGS, SETTING_KEYS, type SettingKey, type Settings } from '../settings/settings.schema.js';
import { createInvite, INVITE_TTL_DEFAULT_MS, listInvites, mailInvite, revokeInvite, type Invite } from '../users/invite.service.js';
import { email } from '../users/user.schema.js';
import { ROLES } from '../users/roles.js';
import { adminPage } from './admin.pages.js';
import { fieldErrorsOf, formBody, userOrLogin } from './forms.js';
import { canonicalOrigin, type Renderer, type Vars } from './render.js';

const DAY_MS = 86_400_000;

/** How the settings form shows each key; the rule and the choices come from the settings schema. */
const SETTING_FIELDS: Record<SettingKey, { group: string; label: string; hint?: string; multiline?: boolean }> = {
  title: { group: 'The site', label: 'Site title' },
  description: { group: 'The site', label: 'Description', hint: 'Under the title, in the footer and in search results.', multiline: true },
  url: { group: 'The site', label: 'Canonical address', hint: 'Such as https://blog.example.com: used in the feed, the sitemap and invitation links. Empty: the address each request came to.' },
  language: { group: 'The site', label: 'Language', hint: 'A language tag such as en or pt-BR.' },
  signup: { group: 'Sign-up', label: 'Who may sign up', hint: 'invite: only with an invitation link; closed: nobody.' },
  signup_role: { group: 'Sign-up', label: 'Role of new accounts' },
  comments: { group: 'Comments and moderation', label: 'Comments', hint: 'moderated: every comment waits for approval; members: signed-in accounts only.' },
  hold_links_over: { group: 'Comments and moderation', label: 'Hold comments with more links than' },
  hold_words: { group: 'Comments and moderation', label: 'Hold comments with these words', hint: 'One per line, or separated by commas.', multiline: true },
  refuse_words: { group: 'Comments and moderation', label: 'Refuse comments with these words', hint: 'One per line, or separated by commas.', multiline: true },
  hold_first_comment: { group: 'Comments and moderation', label: 'Hold the first comment of a new account' },
};

type FieldKind = 'text' | 'number' | 'textarea' | 'select' | 'flag';

function fieldOf(key: SettingKey) {
  const rule = SETTINGS[key].unwrap() as z.ZodType;
  const options = rule instanceof z.ZodEnum ? (rule.options as string[]) : undefined;
  const meta = SETTING_FIELDS[key];
  const kind: FieldKind = options ? (options.join() === 'on,off' ? 'flag' : 'select')
    : rule instanceof z.ZodNumber ? 'number' : meta.multiline ? 'textarea' : 'text';
  return { key, kind, options, ...meta };
}

/** The form in fieldsets, in the schema's order. */
const SETTINGS_FORM = [...new Set(SETTING_KEYS.map((key) => SETTING_FIELDS[key].group))]
  .map((group) => ({ group, fields: SETTING_KEYS.filter((key) => SETTING_FIELDS[key].group === group).map(fieldOf) }));

const asForm = (settings: Settings): Record<string, string> => Object.fromEntries(SETTING_KEYS.map((key) => [key, String(settings[key])]));

/** Each invite as the table shows it: used, expired or open (and so revocable). */
const inviteRow = (invite: Invite, now: number) => ({
  ...invite, state: invite.usedAt !== null ? 'used' : invite.expiresAt <= now ? 'expired' : 'unused',
});

export function adminSitePages(deps: AppDeps, view: Renderer) {
  const { db } = deps.database;
  const router = new Router<RequestState>();

  const invitesPage = async (ctx: AppContext, user: User, vars: Vars, status = 200) => {
    const invites = await listInvites(db, user);
    const now = Date.now();
    adminPage(view, ctx, user, 'invites', 'admin/invites', {
      title: 'Invites', description: 'Single-use sign-up links with a role and an expiry.',
      invites: invites.map((i) => inviteRow(i, now)), roles: ROLES,
      form: { role: 'author', days: String(INVITE_TTL_DEFAULT_MS / DAY_MS) }, errors: {}, ...vars,
    }, status);
  };

  router.get('/admin/invites', async (ctx) => {
    const user = userOrLogin(ctx);
    if (user) await invitesPage(ctx, user, {});
  });

  // The link is shown on the answer to this post and nowhere else: only its hash is stored.
  router.post('/admin/invites', async (ctx) => {
    const user = userOrLogin(ctx);
    if (!user) return;
    const { role = '', days = '', email: to = '' } = formBody(ctx);
    try {
      const address = to.trim() === '' ? undefined : parseInput(z.object({ email }), { email: to }, 'invite').email;
      const { invite, token } = await createInvite(db, user, role, /^\d+$/.test(days.trim()) ? Number(days) * DAY_MS : Number.NaN);
      const link = `${canonicalOrigin(ctx, await view.settings(ctx))}/register?invite=${token}`;
      if (address) await mailInvite(db, address, link, invite.role);
      await invitesPage(ctx, user, { created: { link, role: invite.role, expiresAt: invite.expiresAt, mailedTo: address } });
    } catch (err) {
      const { expires, ...errors } = fieldErrorsOf(err);
      await invitesPage(ctx, user, { form: { role, days, email: to }, errors: expires ? { ...errors, days: ['must be a whole number of days, from 1 to 90'] } : errors }, 422);
    }
  });

  router.post('/admin/invites/:id/revoke', async (ctx) => {
    const user = userOrLogin(ctx);
    if (!user) return;
    await revokeInvite(db, user, /^\d+$/.test(ctx.params.id!) ? Number(ctx.params.id) : 0);
    setFlash(ctx, 'success', 'The invitation was revoked: its link no longer works.');
    ctx.redirect('/admin/invites');
  });

  const settingsPage = (ctx: AppContext, user: User, form: Record<string, string>, errors: FieldErrors, status = 200) =>
    adminPage(view, ctx, user, 'settings', 'admin/settings', {
      title: 'Site settings', description: "The site's name, sign-up policy and comment rules.", groups: SETTINGS_FORM, keys: SETTING_KEYS, form, errors,
    }, status);

  router.get('/admin/settings', async (ctx) => {
    const user = userOrLogin(ctx);
    if (user) settingsPage(ctx, user, asForm(await siteSettings(db, user)), {});
  });

  router.post('/admin/settings', async (ctx) => {
    const user = userOrLogin(ctx);
    if (!user) return;
    const current = asForm(await siteSettings(db, user));
    const posted = formBody(ctx);
    const form = { ...current, ...Object.fromEntries(SETTING_KEYS.filter((key) => key in posted).map((key) => [key, posted[key]!])) };
    // Only what changed is stored, so a key left alone keeps following its default.
    const changes = Object.fromEntries(SETTING_KEYS.filter((key) => form[key] !== current[key]).map((key) => [key, form[key]!]));
    if (Object.keys(changes).length === 0) {
      setFlash(ctx, 'info', 'Nothing was changed.');
      return ctx.redirect('/admin/settings');
    }
    try {
      // Every mistake at once, beside its field (the service stops at the first); then the service stores them.
      parseInput(z.object(Object.fromEntries(Object.keys(changes).map((key) => [key, SETTINGS[key as SettingKey]]))), changes, 'settings');
      await updateSettings(db, user, changes);
      setFlash(ctx, 'success', `Settings saved: ${Object.keys(changes).map((key) => SETTING_FIELDS[key as SettingKey].label.toLowerCase()).join(', ')}.`);
      ctx.redirect('/admin/settings');
    } catch (err) {
      settingsPage(ctx, user, form, fieldErrorsOf(err), 422);
    }
  });

  return router;
}
