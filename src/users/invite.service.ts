// Invites: single-use sign-up links that carry a role and an expiry. The link holds a random token;
// the database keeps only its hash. Used by registration (user.service.ts) and the admin area.
import { createHash, randomBytes } from 'node:crypto';
import type { Db } from '../db/database.js';
import { forbidden, invalid, notFound } from '../core/errors.js';
import type { Role, User } from '../core/state.js';
import * as repo from './invite.repo.js';
import type { InviteRow } from './invite.table.js';
import { isRole, requireCapability } from './roles.js';
import { getSettings } from '../settings/settings.service.js';
import { sendMail } from '../mail/outbox.js';
import { inviteMail } from '../mail/messages.js';

export const INVITE_TTL_DEFAULT_MS = 7 * 86_400_000;
export const INVITE_TTL_MAX_MS = 90 * 86_400_000;

export interface Invite {
  id: number;
  role: Role;
  createdBy: number;
  createdAt: number;
  expiresAt: number;
  usedAt: number | null;
  usedBy: number | null;
}

const hashOf = (token: string) => createHash('sha256').update(token).digest('hex');

export function toInvite(row: InviteRow): Invite {
  return {
    id: Number(row.id), role: isRole(row.role) ? row.role : 'reader', createdBy: Number(row.created_by),
    createdAt: Number(row.created_at), expiresAt: Number(row.expires_at),
    usedAt: row.used_at === null ? null : Number(row.used_at), usedBy: row.used_by === null ? null : Number(row.used_by),
  };
}

/** A new invite by an account that may invite; the token is returned once, here, and never stored. */
export async function createInvite(db: Db, by: User, role: string, ttlMs = INVITE_TTL_DEFAULT_MS): Promise<{ invite: Invite; token: string }> {
  requireCapability(by, 'invite', 'invite');
  if (!isRole(role)) throw invalid('role', 'must be reader, contributor, author, editor or admin');
  if (!Number.isInteger(ttlMs) || ttlMs < 60_000 || ttlMs > INVITE_TTL_MAX_MS) throw invalid('expires', 'must be between one minute and 90 days');
  const token = randomBytes(32).toString('base64url');
  const now = Date.now();
  const id = await repo.insertInvite(db, { token_hash: hashOf(token), role, created_by: by.id, created_at: now, expires_at: now + ttlMs });
  return { invite: { id, role, createdBy: by.id, createdAt: now, expiresAt: now + ttlMs, usedAt: null, usedBy: null }, token };
}

/** The invite a token names, if it can still be used; the contract's 403 naming why otherwise. */
export async function usableInvite(db: Db, token: string): Promise<Invite> {
  const row = /^[\w-]{43}$/.test(token) ? await repo.findInviteByHash(db, hashOf(token)) : undefined;
  if (!row) throw forbidden('invite', 'is not a valid invitation');
  const invite = toInvite(row);
  if (invite.usedAt !== null) throw forbidden('invite', 'has already been used');
  if (invite.expiresAt <= Date.now()) throw forbidden('invite', 'has expired');
  return invite;
}

/** Claims the invite for a new account, in the transaction that creates it; 403 if another claim won. */
export async function claimInvite(db: Db, invite: Invite, userId: number): Promise<void> {
  if (!(await repo.claimInvite(db, invite.id, userId, Date.now()))) throw forbidden('invite', 'has already been used');
}

export async function listInvites(db: Db, by: User, limit = 100): Promise<Invite[]> {
  requireCapability(by, 'invite', 'invite');
  return (await repo.listInvites(db, limit)).map(toInvite);
}

export async function revokeInvite(db: Db, by: User, id: number): Promise<void> {
  requireCapability(by, 'invite', 'invite');
  if (!(await repo.deleteInvite(db, id))) throw notFound('invite');
}

/** Mails an invitation's link to the person invited (the admin may also hand it over themselves). */
export async function mailInvite(db: Db, to: string, link: string, role: Role): Promise<void> {
  const { title } = await getSettings(db);
  await sendMail(db, { to, ...inviteMail(title, link, role) });
}
