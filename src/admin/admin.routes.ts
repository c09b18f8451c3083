// JSON API for running the site: people (roles, bans, deletion), invites and settings, under
// /api/admin. Each action is the admin service's (or the invite service's), which checks the
// capability; the route asks the same capability before it reads any input, so a non-admin gets 403
// whatever it sends, never a 422 that tells it about the input. Answers are built from allow-lists.
import { Router } from '@koa/router';
import { notFound } from '../core/errors.js';
import { requestOrigin, requireUser, type AppContext, type RequestState, type User } from '../core/state.js';
import { parseBody, parseInput, queryInt } from '../core/validation.js';
import type { AppDeps } from '../runtime/deps.js';
import { siteOrigin, SETTING_KEYS, type Settings } from '../settings/settings.service.js';
import { requireCapability, type Capability } from '../users/roles.js';
import { createInvite, listInvites, revokeInvite, type Invite, mailInvite } from '../users/invite.service.js';
import * as admin from './admin.service.js';
import { deleteQuery, inviteInput, peopleQuery, personChangeInput, settingsInput } from './admin.schema.js';

const iso = (ms: number | null) => (ms === null ? null : new Date(ms).toISOString());

/** An account as admins see it: no internal id, no password hash, no public id. */
export function personJson(p: admin.Person) {
  return { username: p.username, email: p.email, role: p.role, status: p.status, createdAt: iso(p.createdAt) };
}

/** An invite without who made or used it (internal ids); its token is shown once, when created. */
export function inviteJson(i: Invite) {
  return { id: i.id, role: i.role, createdAt: iso(i.createdAt), expiresAt: iso(i.expiresAt), usedAt: iso(i.usedAt) };
}

export function settingsJson(s: Settings) {
  return Object.fromEntries(SETTING_KEYS.map((key) => [key, s[key]]));
}

/** The sign-up link an invite's token makes: on the canonical origin when the site has one. */
export function inviteUrl(origin: string, token: string): string {
  return `${origin}/register?invite=${encodeURIComponent(token)}`;
}

const inviteId = (ctx: AppContext) => {
  const id = ctx.params.id;
  if (!id || !/^\d{1,15}$/.test(id)) throw notFound('invite');
  return Number(id);
};

/** The signed-in account (401 without one) if it has the capability (403 otherwise, as the service says it). */
function acting(ctx: AppContext, capability: Capability, what: string): User {
  const by = requireUser(ctx);
  requireCapability(by, capability, what);
  return by;
}

export function adminRoutes({ database: { db } }: AppDeps) {
  const router = new Router<RequestState>();

  router.get('/admin/users', async (ctx) => {
    const by = acting(ctx, 'manage_users', 'users');
    const query = parseInput(peopleQuery, ctx.query, 'query');
    const limit = queryInt(ctx.query.limit, 'limit', 50, 1, 200);
    const offset = queryInt(ctx.query.offset, 'offset', 0, 0, 1_000_000_000);
    const { people, count } = await admin.listPeople(db, by, { ...query, limit, offset });
    ctx.body = { users: people.map(personJson), usersCount: count };
  });

  router.get('/admin/users/:username', async (ctx) => {
    ctx.body = { user: personJson(await admin.getPerson(db, requireUser(ctx), ctx.params.username!)) };
  });

  router.put('/admin/users/:username', async (ctx) => {
    const by = acting(ctx, 'manage_users', 'users');
    const change = parseBody(personChangeInput, ctx.request.body, 'user');
    const username = ctx.params.username!;
    let person = change.role !== undefined ? await admin.setRole(db, by, username, change.role) : undefined;
    if (change.status !== undefined) person = await admin.setStatus(db, by, username, change.status);
    ctx.body = { user: personJson(person!) };
  });

  router.delete('/admin/users/:username', async (ctx) => {
    const by = acting(ctx, 'manage_users', 'users');
    const query = parseInput(deleteQuery, ctx.query, 'query');
    await admin.deletePerson(db, by, ctx.params.username!, { content: query.content ?? 'delete', to: query.to });
    ctx.status = 204;
  });

  router.post('/admin/users/:username/password-reset', async (ctx) => {
    const by = acting(ctx, 'manage_users', 'users');
    const { token, expiresAt } = await admin.resetLinkFor(db, by, ctx.params.username!);
    const origin = await siteOrigin(db, requestOrigin(ctx));
    ctx.status = 201;
    ctx.body = { reset: { url: admin.resetUrl(origin, token), expiresAt: new Date(expiresAt).toISOString() } };
  });

  router.get('/admin/invites', async (ctx) => {
    ctx.body = { invites: (await listInvites(db, requireUser(ctx))).map(inviteJson) };
  });

  router.post('/admin/invites', async (ctx) => {
    const by = acting(ctx, 'invite', 'invite');
    const input = parseBody(inviteInput, ctx.request.body, 'invite');
    const ttl = input.expiresInDays === undefined ? undefined : Math.round(input.expiresInDays * 86_400_000);
    const { invite, token } = await createInvite(db, by, input.role, ttl);
    const origin = await siteOrigin(db, requestOrigin(ctx));
    if (input.email) await mailInvite(db, input.email, inviteUrl(origin, token), invite.role);
    ctx.status = 201;
    ctx.body = { invite: { ...inviteJson(invite), token, url: inviteUrl(origin, token), ...(input.email && { mailedTo: input.email }) } };
  });

  router.delete('/admin/invites/:id', async (ctx) => {
    const by = acting(ctx, 'invite', 'invite');
    await revokeInvite(db, by, inviteId(ctx));
    ctx.status = 204;
  });

  router.get('/admin/settings', async (ctx) => {
    ctx.body = { settings: settingsJson(await admin.siteSettings(db, requireUser(ctx))) };
  });

  router.put('/admin/settings', async (ctx) => {
    const by = acting(ctx, 'manage_users', 'users');
    const changes = parseBody(settingsInput, ctx.request.body, 'settings');
    ctx.body = { settings: settingsJson(await admin.updateSettings(db, by, changes)) };
  });

  return router;
}
