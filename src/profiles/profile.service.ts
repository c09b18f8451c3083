// Profiles as others see them, and follows.
import type { Db } from '../db/database.js';
import { invalid, notFound } from '../core/errors.js';
import * as users from '../users/user.repo.js';
import * as follows from './profile.repo.js';
import type { User } from '../users/user.service.js';
import { requireCapability } from '../users/roles.js';

export interface Profile {
  username: string;
  bio: string | null;
  image: string | null;
  following: boolean;
}

/** A profile from any row that names a user, as seen by someone who does (not) follow them. */
export function toProfile(user: { username: string; bio: string | null; image: string | null }, following: boolean): Profile {
  return { username: user.username, bio: user.bio, image: user.image, following };
}

async function profileRow(db: Db, username: string) {
  const row = await users.findUserByUsername(db, username);
  if (!row) throw notFound('profile');
  return row;
}

export async function getProfile(db: Db, viewer: User | undefined, username: string): Promise<Profile> {
  const row = await profileRow(db, username);
  return toProfile(row, viewer ? await follows.isFollowing(db, viewer.id, row.id) : false);
}

export async function followUser(db: Db, viewer: User, username: string): Promise<Profile> {
  const row = await profileRow(db, username);
  if (row.id === viewer.id) throw invalid('profile', 'cannot follow yourself');
  requireCapability(viewer, 'follow', 'profile');
  await follows.insertFollow(db, viewer.id, row.id);
  return toProfile(row, true);
}

export async function unfollowUser(db: Db, viewer: User, username: string): Promise<Profile> {
  const row = await profileRow(db, username);
  await follows.deleteFollow(db, viewer.id, row.id);
  return toProfile(row, false);
}
