// Password resets: a single-use link that expires (RESET_TTL_MS), made for an account by an admin,
// by `quire user reset-password`, or sent by email when the account's owner asks. The link holds a
// random token; the database keeps its hash. Using it sets the new password and signs the account
// out everywhere (a new public id), and every other link of the account stops working.
import { createHash, randomBytes, randomUUID } from 'node:crypto';
import type { Db } from '../db/database.js';
import { inTransaction } from '../db/database.js';
import { forbidden } from '../core/errors.js';
import { hashPassword } from './password.js';
import * as resets from './reset.repo.js';
import * as users from './user.repo.js';
import type { UserRow } from './user.table.js';
import { getSettings } from '../settings/settings.service.js';
import { sendMail } from '../mail/outbox.js';
import { resetMail } from '../mail/messages.js';

export const RESET_TTL_MS = 60 * 60_000;

const hashOf = (token: string) => createHash('sha256').update(token).digest('hex');

/** A new reset link's token for the account; 403 for a banned account, which may not come back this way. */
export async function createResetToken(db: Db, account: Pick<UserRow, 'id' | 'status'>, ttlMs = RESET_TTL_MS): Promise<{ token: string; expiresAt: number }> {
  if (account.status === 'banned') throw forbidden('account', 'is banned from this site');
  const token = randomBytes(32).toString('base64url');
  const now = Date.now();
  await resets.insertReset(db, { user_id: Number(account.id), token_hash: hashOf(token), created_at: now, expires_at: now + ttlMs });
  return { token, expiresAt: now + ttlMs };
}

/** The account a reset token may still be used for; the contract's 403 naming why otherwise. */
export async function accountForReset(db: Db, token: string): Promise<{ resetId: number; account: UserRow }> {
  const row = /^[\w-]{43}$/.test(token) ? await resets.findResetByHash(db, hashOf(token)) : undefined;
  if (!row) throw forbidden('reset', 'is not a valid link');
  if (row.used_at !== null) throw forbidden('reset', 'has already been used');
  if (Number(row.expires_at) <= Date.now()) throw forbidden('reset', 'has expired');
  const account = await users.findUserById(db, Number(row.user_id));
  if (!account) throw forbidden('reset', 'is not a valid link');
  if (account.status === 'banned') throw forbidden('account', 'is banned from this site');
  return { resetId: Number(row.id), account };
}

/** Sets the new password (already validated by the caller's schema) through a reset link, once. */
export async function resetPassword(db: Db, token: string, password: string): Promise<UserRow> {
  const { resetId, account } = await accountForReset(db, token);
  const passwordHash = await hashPassword(password);
  await inTransaction(db, async (trx) => {
    if (!(await resets.claimReset(trx, resetId, Date.now()))) throw forbidden('reset', 'has already been used');
    await users.updateUser(trx, Number(account.id), { password_hash: passwordHash, public_id: randomUUID(), updated_at: Date.now() });
    await resets.expireResetsOf(trx, Number(account.id), Date.now());
  });
  return (await users.findUserById(db, Number(account.id)))!;
}

/**
 * The owner's own request, by email address: a reset link is mailed when an active account has that
 * address, and nothing happens otherwise. The caller answers the same either way, so the form cannot
 * tell anyone which addresses have accounts. The link is on origin (the site's, or the request's).
 */
export async function mailResetLink(db: Db, email: string, origin: string): Promise<void> {
  const account = await users.findUserByEmail(db, email);
  if (!account || account.status === 'banned') return;
  const { token } = await createResetToken(db, account);
  const { title } = await getSettings(db);
  await sendMail(db, { to: account.email, ...resetMail(title, `${origin}/reset/${encodeURIComponent(token)}`) });
}
