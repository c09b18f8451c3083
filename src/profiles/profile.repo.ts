// All SQL about follows: who follows whom.
import type { Db } from '../db/database.js';

export async function isFollowing(db: Db, followerId: number, followedId: number): Promise<boolean> {
  const row = await db.selectFrom('follows').select('follower_id')
    .where('follower_id', '=', followerId).where('followed_id', '=', followedId).executeTakeFirst();
  return row !== undefined;
}

export async function insertFollow(db: Db, followerId: number, followedId: number): Promise<void> {
  // Idempotent: a second follow (or a concurrent one) is not an error.
  await db.insertInto('follows').values({ follower_id: followerId, followed_id: followedId, created_at: Date.now() })
    .ignore().execute();
}

export async function deleteFollow(db: Db, followerId: number, followedId: number): Promise<void> {
  await db.deleteFrom('follows').where('follower_id', '=', followerId).where('followed_id', '=', followedId).execute();
}

/** The names of the accounts one account follows, for its data export. */
export async function followedNames(db: Db, followerId: number): Promise<string[]> {
  const rows = await db.selectFrom('follows').innerJoin('users', 'users.id', 'follows.followed_id')
    .select('users.username').where('follows.follower_id', '=', followerId).orderBy('users.username').execute();
  return rows.map((r) => r.username);
}
