// All SQL about password resets. Using a link is one conditional update, so it works once.
import type { Db } from '../db/database.js';
import type { PasswordResetRow } from './reset.table.js';

export async function insertReset(db: Db, reset: { user_id: number; token_hash: string; created_at: number; expires_at: number }): Promise<void> {
  await db.insertInto('password_resets').values(reset).execute();
}

export function findResetByHash(db: Db, tokenHash: string): Promise<PasswordResetRow | undefined> {
  return db.selectFrom('password_resets').selectAll().where('token_hash', '=', tokenHash).executeTakeFirst();
}

/** Marks the link used, if it is unused and unexpired at now; false otherwise. */
export async function claimReset(db: Db, id: number, now: number): Promise<boolean> {
  const result = await db.updateTable('password_resets').set({ used_at: now })
    .where('id', '=', id).where('used_at', 'is', null).where('expires_at', '>', now).executeTakeFirst();
  return Number(result.numUpdatedRows) === 1;
}

/** Every unused link of an account stops working (a new password was set, or the account banned). */
export async function expireResetsOf(db: Db, userId: number, now: number): Promise<void> {
  await db.updateTable('password_resets').set({ used_at: now }).where('user_id', '=', userId).where('used_at', 'is', null).execute();
}
