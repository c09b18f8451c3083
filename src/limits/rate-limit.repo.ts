// All SQL for rate-limit windows (table rate_limits, migration 003): one atomic upsert per hit, on
// SQLite and MySQL alike. rate-limit.ts puts rate-limiter-flexible on top of these.
import { sql } from 'kysely';
import { orUpdate, type DatabaseHandle } from '../db/database.js';

type Store = Pick<DatabaseHandle, 'db'>;

export interface WindowRow { count: number; resetAt: number }

/**
 * Adds points (negative to give some back) to key's window; a window past its end starts over with
 * them. replace starts it over whatever it held (the library's set and block). Returns the row after.
 */
export async function addToWindow({ db }: Store, key: string, points: number, windowMs: number, opts: { replace?: boolean; now?: number } = {}): Promise<WindowRow> {
  const now = opts.now ?? Date.now();
  const fresh = { key, count: points, reset_at: now + windowMs };
  // reset_at is read before it is assigned on both dialects (MySQL assigns left to right), so the two CASEs agree.
  const expired = opts.replace ? sql<boolean>`1 = 1` : sql<boolean>`reset_at <= ${now}`;
  const changes = {
    count: sql<number>`case when ${expired} then ${points} else count + ${points} end`,
    reset_at: sql<number>`case when ${expired} then ${now + windowMs} else reset_at end`,
  };
  await db.insertInto('rate_limits').values(fresh)
    .$call(orUpdate(db, 'key', changes))
    .execute();
  return (await readWindow({ db }, key, now)) ?? { count: points, resetAt: fresh.reset_at };
}

/** The window key is in, or undefined when it has none that is still running. */
export async function readWindow({ db }: Store, key: string, now = Date.now()): Promise<WindowRow | undefined> {
  const row = await db.selectFrom('rate_limits').select(['count', 'reset_at'])
    .where('key', '=', key).where('reset_at', '>', now).executeTakeFirst();
  return row && { count: Number(row.count), resetAt: Number(row.reset_at) };
}

export async function clearWindow({ db }: Store, key: string): Promise<boolean> {
  const result = await db.deleteFrom('rate_limits').where('key', '=', key).executeTakeFirst();
  return Number(result.numDeletedRows) > 0;
}

export async function dropExpiredWindows({ db }: Store, now = Date.now()): Promise<void> {
  await db.deleteFrom('rate_limits').where('reset_at', '<=', now).execute();
}
