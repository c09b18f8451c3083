// Profiles as others see them, and follows.
import type { Db } from '../platform/db.js';
import { invalid, notFound } from '../platform/errors.js';
import * as users from '../users/user.repo.js';
import type { User } from '../users/user.service.js';

export interface Profile {
  username: string;
  bio: string | null;
  image: string | null;
  following: boolean;
}

export async function getProfile(db: Db, viewer: User | undefined, username: string): Promise<Profile> {
  const row = await users.findUserByUsername(db, username);
  if (!row) throw notFound('profile');
  const following = viewer ? await users.isFollowing(db, viewer.id, row.id) : false;
  return { username: row.username, bio: row.bio, image: row.image, following };
}

export async function followUser(db: Db, viewer: User, username: string): Promise<Profile> {
  const row = await users.findUserByUsername(db, username);
  if (!row) throw notFound('profile');
  if (row.id === viewer.id) throw invalid('profile', 'cannot follow yourself');
  await users.insertFollow(db, viewer.id, row.id);
  return { username: row.username, bio: row.bio, image: row.image, following: true };
}

export async function unfollowUser(db: Db, viewer: User, username: string): Promise<Profile> {
  const row = await users.findUserByUsername(db, username);
  if (!row) throw notFound('profile');
  await users.deleteFollow(db, viewer.id, row.id);
  return { username: row.username, bio: row.bio, image: row.image, following: false };
}
