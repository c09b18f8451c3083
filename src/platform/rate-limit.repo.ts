// All SQL for rate-limit windows: one atomic upsert per hit, on SQLite and MySQL alike.
import { sql } from 'kysely';
import { orUpdate, type DatabaseHandle } from './db.js';

/** Counts one hit on key: a window past its end starts over at 1. Returns the row after the hit. */
export async function hitWindow({ db }: DatabaseHandle, key: string, windowMs: number, now = Date.now()): Promise<{ count: number; resetAt: number }> {
  const fresh = { key, count: 1, reset_at: now + windowMs };
  // reset_at is read before it is assigned on both dialects (MySQL assigns left to right), so the two CASEs agree.
  const expired = sql<boolean>`reset_at <= ${now}`;
  const changes = {
    count: sql<number>`case when ${expired} then 1 else count + 1 end`,
    reset_at: sql<number>`case when ${expired} then ${now + windowMs} else reset_at end`,
  };
  await db.insertInto('rate_limits').values(fresh)
    .$call(orUpdate(db, 'key', changes))
    .execute();
  const row = await db.selectFrom('rate_limits').select(['count', 'reset_at']).where('key', '=', key).executeTakeFirst();
  return { count: Number(row?.count ?? 1), resetAt: Number(row?.reset_at ?? fresh.reset_at) };
}

export async function clearWindow({ db }: DatabaseHandle, key: string): Promise<void> {
  await db.deleteFrom('rate_limits').where('key', '=', key).execute();
}

export async function dropExpiredWindows({ db }: DatabaseHandle, now = Date.now()): Promise<void> {
  await db.deleteFrom('rate_limits').where('reset_at', '<=', now).execute();
}
