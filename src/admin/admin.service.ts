// What an admin does to people and to the site: roles, suspensions and bans, deleting an account
// (with its content, or giving it to someone else), and the settings. Every action checks its
// capability here (users/roles.ts), so the API, the pages and the CLI refuse alike; and no action
// can leave the site without an active admin.
import type { Db } from '../db/database.js';
import { inTransaction } from '../db/database.js';
import { invalid, notFound } from '../core/errors.js';
import type { AccountStatus, Role, User } from '../core/state.js';
import { isRole, isStatus, requireCapability, ROLES, STATUSES } from '../users/roles.js';
import * as users from '../users/user.repo.js';
import type { UserRow } from '../users/user.table.js';
import { getSettings, setSetting, type Settings } from '../settings/settings.service.js';
import { logAction, removePendingCommentsOf } from '../comments/moderation.service.js';
import { keepingAnAdmin, removeAccount } from '../account/account.service.js';
import { createResetToken } from '../users/reset.service.js';

/** An account as the admin area shows it. */
export interface Person {
  id: number;
  username: string;
  email: string;
  role: Role;
  status: AccountStatus;
  createdAt: number;
}

const toPerson = (row: UserRow): Person => ({
  id: Number(row.id), username: row.username, email: row.email, role: row.role, status: row.status, createdAt: Number(row.created_at),
});

export interface PeopleQuery {
  q?: string;
  role?: string;
  status?: string;
  limit?: number;
  offset?: number;
}

export async function listPeople(db: Db, by: User, query: PeopleQuery = {}): Promise<{ people: Person[]; count: number }> {
  requireCapability(by, 'manage_users', 'users');
  if (query.role !== undefined && !isRole(query.role)) throw invalid('role', `must be one of ${ROLES.join(', ')}`);
  if (query.status !== undefined && !isStatus(query.status)) throw invalid('status', `must be one of ${STATUSES.join(', ')}`);
  const search = { q: query.q?.trim().slice(0, 100) || undefined, role: query.role as Role | undefined, status: query.status as AccountStatus | undefined };
  const limit = Math.min(Math.max(query.limit ?? 50, 1), 200);
  const offset = Math.max(query.offset ?? 0, 0);
  const [rows, count] = await Promise.all([users.searchUsers(db, search, limit, offset), users.countUsers(db, search)]);
  return { people: rows.map(toPerson), count };
}

async function personRow(db: Db, username: string): Promise<UserRow> {
  const row = await users.findUserByUsername(db, username);
  if (!row) throw notFound('user');
  return row;
}

export async function getPerson(db: Db, by: User, username: string): Promise<Person> {
  requireCapability(by, 'manage_users', 'users');
  return toPerson(await personRow(db, username));
}

export async function setRole(db: Db, by: User, username: string, role: string): Promise<Person> {
  requireCapability(by, 'manage_users', 'users');
  if (!isRole(role)) throw invalid('role', `must be one of ${ROLES.join(', ')}`);
  await keepingAnAdmin(db, username, () => role === 'admin', async (trx, row) => {
    await users.updateUser(trx, Number(row.id), { role, updated_at: Date.now() });
    await logAction(trx, by, `user:role:${role}`, { type: 'user', id: Number(row.id) }, `${row.username} was ${row.role}`);
  });
  return toPerson(await personRow(db, username));
}

/** active, suspended (may sign in and read, nothing else) or banned (signed out everywhere at once). */
export async function setStatus(db: Db, by: User, username: string, status: string): Promise<Person> {
  requireCapability(by, 'manage_users', 'users');
  if (!isStatus(status)) throw invalid('status', `must be one of ${STATUSES.join(', ')}`);
  await keepingAnAdmin(db, username, () => status === 'active', async (trx, row) => {
    await users.updateUser(trx, Number(row.id), { status, updated_at: Date.now() });
    // A ban takes what was waiting for moderation with it.
    if (status === 'banned') await removePendingCommentsOf(trx, Number(row.id));
    await logAction(trx, by, `user:${status}`, { type: 'user', id: Number(row.id) }, `${row.username} was ${row.status}`);
  });
  return toPerson(await personRow(db, username));
}

/**
 * Deletes an account. Its articles and comments go with it (content: 'delete'), or are given to
 * another account first (content: 'reassign', to: a username); its favourites and follows go.
 */
export async function deletePerson(db: Db, by: User, username: string, opts: { content: string; to?: string }): Promise<void> {
  requireCapability(by, 'manage_users', 'users');
  if (opts.content !== 'delete' && opts.content !== 'reassign') throw invalid('content', 'must be delete or reassign');
  const target = await personRow(db, username);
  let heir: UserRow | undefined;
  if (opts.content === 'reassign') {
    if (!opts.to) throw invalid('to', "can't be blank when the content is reassigned");
    heir = await users.findUserByUsername(db, opts.to);
    if (!heir) throw invalid('to', 'is not a user');
    if (heir.id === target.id) throw invalid('to', 'must be another user');
  }
  await removeAccount(db, by, target, heir);
}

/** A single-use link (an hour) to set a new password for an account; refused for a banned one. Logged. */
export async function resetLinkFor(db: Db, by: User, username: string): Promise<{ token: string; expiresAt: number }> {
  requireCapability(by, 'manage_users', 'users');
  const row = await personRow(db, username);
  const link = await createResetToken(db, row);
  await logAction(db, by, 'user:reset-link', { type: 'user', id: Number(row.id) }, row.username);
  return link;
}

/** The reset page's address for a token, on the site's origin. */
export const resetUrl = (origin: string, token: string): string => `${origin}/reset/${encodeURIComponent(token)}`;

export async function siteSettings(db: Db, by: User): Promise<Settings> {
  requireCapability(by, 'manage_settings', 'settings');
  return getSettings(db);
}

/** Changes several settings at once: every value is checked first, and nothing is stored unless all pass. */
export async function updateSettings(db: Db, by: User, changes: Record<string, unknown>): Promise<Settings> {
  requireCapability(by, 'manage_settings', 'settings');
  const entries = Object.entries(changes);
  if (entries.length === 0) throw invalid('settings', "can't be blank");
  for (const [key, value] of entries) if (typeof value !== 'string') throw invalid(key, 'must be a string');
  await inTransaction(db, async (trx) => {
    for (const [key, value] of entries) await setSetting(trx, key, value as string);
  });
  return getSettings(db);
}
