// The rules for accounts: registration, sign-in, profile changes. Knows nothing of HTTP.
import { randomUUID } from 'node:crypto';
import type { Db } from '../db/database.js';
import { inTransaction, isUniqueViolation } from '../db/database.js';
import { conflict, forbidden, invalid, unauthorized } from '../core/errors.js';
import { hashPassword, verifyPassword } from './password.js';
import * as repo from './user.repo.js';
import type { UserRow } from './user.table.js';
import type { LoginInput, RegisterInput, UpdateInput } from './user.schema.js';
import { usernameKey } from './username.js';
import { getSettings, type Settings } from '../settings/settings.service.js';
import { claimInvite, usableInvite, type Invite } from './invite.service.js';
import type { User } from '../core/state.js';

export type { User };

export function toUser(row: UserRow): User {
  return {
    id: row.id,
    publicId: row.public_id,
    username: row.username,
    email: row.email,
    bio: row.bio,
    image: row.image,
    role: row.role,
    status: row.status,
  };
}

async function assertAvailable(db: Db, fields: { username?: string; email?: string }, selfId?: number) {
  if (fields.username !== undefined) {
    // "Alice" is taken by "alice" and by "ａｌｉｃｅ": the same key (users/username.ts).
    const taken = await repo.findUserHoldingName(db, fields.username, usernameKey(fields.username), selfId);
    if (taken && taken.id !== selfId) throw conflict('username');
  }
  if (fields.email !== undefined) {
    const taken = await repo.findUserByEmail(db, fields.email);
    if (taken && taken.id !== selfId) throw conflict('email');
  }
}

/** Two writers can pass the availability check at once; the unique index decides, and we say which field. */
async function explainUniqueViolation(db: Db, err: unknown, fields: { username?: string; email?: string }, selfId?: number): Promise<never> {
  if (!isUniqueViolation(err)) throw err;
  await assertAvailable(db, fields, selfId);
  throw conflict(fields.username !== undefined ? 'username' : 'email');
}

/** Whether a sign-up may go ahead (with this invitation, if any): the contract's 403 naming why not. */
export async function signupAllowed(db: Db, inviteToken?: string): Promise<{ settings: Settings; invite?: Invite }> {
  const settings = await getSettings(db);
  const invite = inviteToken !== undefined ? await usableInvite(db, inviteToken) : undefined;
  if (!invite && (await repo.firstUserId(db)) !== undefined) {
    if (settings.signup === 'closed') throw forbidden('signup', 'is closed on this site');
    if (settings.signup === 'invite') throw forbidden('signup', 'needs an invitation on this site');
  }
  return { settings, invite };
}

/**
 * A new account, if the site's sign-up policy lets it in: `signup` open, or an invitation (which
 * works however sign-up is set, once). Its role is the invitation's, else the `signup_role` setting;
 * the site's first account is its admin whatever the policy.
 */
export async function registerUser(db: Db, input: RegisterInput, opts: { invite?: string } = {}): Promise<User> {
  await assertAvailable(db, input);
  const { settings, invite } = await signupAllowed(db, opts.invite);
  const now = Date.now();
  const passwordHash = await hashPassword(input.password);
  try {
    const id = await inTransaction(db, async (trx) => {
      const id = await repo.insertUser(trx, {
        public_id: randomUUID(),
        username: input.username,
        username_key: usernameKey(input.username),
        email: input.email,
        password_hash: passwordHash,
        bio: null,
        image: null,
        role: invite?.role ?? settings.signup_role,
        created_at: now,
        updated_at: now,
      });
      if (invite) await claimInvite(trx, invite, id);
      return id;
    });
    // The first account is the site's owner. Decided after the insert, by lowest id, so two
    // sign-ups racing on a fresh site cannot both become admin.
    if ((await repo.firstUserId(db)) === id) await repo.updateUser(db, id, { role: 'admin' });
    return toUser((await repo.findUserById(db, id))!);
  } catch (err) {
    return explainUniqueViolation(db, err, input);
  }
}

// Compared against when the email is unknown, so a miss takes as long as a wrong password.
const decoyHash = hashPassword('decoy password that matches nothing');

export async function authenticate(db: Db, input: LoginInput): Promise<User> {
  const row = await repo.findUserByEmail(db, input.email);
  const ok = await verifyPassword(input.password, row?.password_hash ?? (await decoyHash));
  if (!row || !ok) throw unauthorized('credentials', 'invalid');
  if (row.status === 'banned') throw forbidden('account', 'is banned from this site');
  return toUser(row);
}

/** The account a token or a session signs in as: never a banned one, so a ban ends both at once. */
export async function findUserByPublicId(db: Db, publicId: string): Promise<User | undefined> {
  const row = await repo.findUserByPublicId(db, publicId);
  return row && row.status !== 'banned' ? toUser(row) : undefined;
}

export async function updateUser(db: Db, user: User, input: UpdateInput): Promise<User> {
  // Keeping one's own name is no rename: a row keyed "<key>~<id>" by migration 009 keeps that key.
  const rename = input.username !== undefined && input.username !== user.username ? input.username : undefined;
  await assertAvailable(db, { username: rename, email: input.email }, user.id);
  try {
    await repo.updateUser(db, user.id, {
      ...(rename !== undefined && { username: rename, username_key: usernameKey(rename) }),
      ...(input.email !== undefined && { email: input.email }),
      // A new password also gets a new public id: every token and session issued before it stops working.
      ...(input.password !== undefined && { password_hash: await hashPassword(input.password), public_id: randomUUID() }),
      ...(input.bio !== undefined && { bio: input.bio === '' ? null : input.bio }),
      ...(input.image !== undefined && { image: input.image === '' ? null : input.image }),
      updated_at: Date.now(),
    });
  } catch (err) {
    await explainUniqueViolation(db, err, { username: rename, email: input.email }, user.id);
  }
  return toUser((await repo.findUserById(db, user.id))!);
}

/**
 * The settings page's update: a new email or password needs the current password, so a session
 * left open on a shared computer (or a stolen cookie) cannot take the account over. Nothing is
 * changed when it is missing or wrong. The API's PUT /api/user keeps the contract and asks none.
 */
export async function updateUserConfirmed(db: Db, user: User, input: UpdateInput, currentPassword: string): Promise<User> {
  const changesCredentials = input.password !== undefined || (input.email !== undefined && input.email !== user.email);
  if (changesCredentials) {
    if (currentPassword === '') throw invalid('current_password', 'is needed to change your email or password');
    const row = await repo.findUserById(db, user.id);
    if (!row || !(await verifyPassword(currentPassword, row.password_hash))) throw unauthorized('current_password', 'is wrong');
  }
  return updateUser(db, user, input);
}
