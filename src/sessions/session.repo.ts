// All SQL about web sessions: one row per session, keyed by a hash of its id, with an expiry.
import { orUpdate, type Db } from '../db/database.js';

export async function findSession(db: Db, id: string, now: number): Promise<string | undefined> {
  const row = await db.selectFrom('sessions').select('data').where('id', '=', id).where('expires_at', '>', now).executeTakeFirst();
  return row?.data;
}

export async function saveSession(db: Db, row: { id: string; data: string; expires_at: number }): Promise<void> {
  await db.insertInto('sessions').values(row).$call(orUpdate(db, 'id', { data: row.data, expires_at: row.expires_at })).execute();
}

export async function deleteSession(db: Db, id: string): Promise<void> {
  await db.deleteFrom('sessions').where('id', '=', id).execute();
}

/** Removes expired rows; returns how many went. */
export async function deleteExpiredSessions(db: Db, now: number): Promise<number> {
  const result = await db.deleteFrom('sessions').where('expires_at', '<=', now).executeTakeFirst();
  return Number(result.numDeletedRows ?? 0);
}
