// All SQL about invites. A claim is one conditional update, so two sign-ups racing for one link
// cannot both have it.
import type { Db } from '../db/database.js';
import type { InviteRow } from './invite.table.js';

export async function insertInvite(db: Db, invite: { token_hash: string; role: string; created_by: number; created_at: number; expires_at: number }): Promise<number> {
  const result = await db.insertInto('invites').values(invite).executeTakeFirstOrThrow();
  return Number(result.insertId);
}

export function findInviteByHash(db: Db, tokenHash: string): Promise<InviteRow | undefined> {
  return db.selectFrom('invites').selectAll().where('token_hash', '=', tokenHash).executeTakeFirst();
}

/** Marks the invite used by userId, if it is still unused and unexpired at now; false otherwise. */
export async function claimInvite(db: Db, id: number, userId: number, now: number): Promise<boolean> {
  const result = await db.updateTable('invites').set({ used_at: now, used_by: userId })
    .where('id', '=', id).where('used_at', 'is', null).where('expires_at', '>', now).executeTakeFirst();
  return Number(result.numUpdatedRows) === 1;
}

export function listInvites(db: Db, limit: number): Promise<InviteRow[]> {
  return db.selectFrom('invites').selectAll().orderBy('id', 'desc').limit(limit).execute();
}

export async function deleteInvite(db: Db, id: number): Promise<boolean> {
  const result = await db.deleteFrom('invites').where('id', '=', id).executeTakeFirst();
  return Number(result.numDeletedRows) === 1;
}
