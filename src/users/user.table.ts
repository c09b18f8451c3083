// Row shape of the users table.
import type { Generated, Selectable } from 'kysely';
import type { AccountStatus, Role } from '../core/state.js';

export interface UserTable {
  id: Generated<number>;
  /** The id tokens carry: random, so no internal id ever leaves the server. */
  public_id: string;
  username: string;
  /**
   * The name as uniqueness sees it (users/username.ts), under a unique index. Null only on rows
   * written straight to the table by the seeder or a test; every write through the service sets it.
   */
  username_key: string | null;
  email: string;
  password_hash: string;
  bio: string | null;
  image: string | null;
  /** What the account may do (users/roles.ts); migration 010. */
  role: Generated<Role>;
  status: Generated<AccountStatus>;
  created_at: number;
  updated_at: number;
}
export type UserRow = Selectable<UserTable>;

declare module '../db/schema.js' {
  interface Database {
    users: UserTable;
  }
}
