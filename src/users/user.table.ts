// Row shapes of the users and follows tables.
import type { Generated, Selectable } from 'kysely';

export interface UserTable {
  id: Generated<number>;
  /** The id tokens carry: random, so no internal id ever leaves the server. */
  public_id: string;
  username: string;
  email: string;
  password_hash: string;
  bio: string | null;
  image: string | null;
  is_admin: Generated<number>;
  created_at: number;
  updated_at: number;
}
export type UserRow = Selectable<UserTable>;

export interface FollowTable {
  follower_id: number;
  followed_id: number;
  created_at: number;
}
