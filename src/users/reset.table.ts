// Row shape of the password_resets table (migration 012): a single-use link to choose a new password.
import type { Generated, Selectable } from 'kysely';

export interface PasswordResetTable {
  id: Generated<number>;
  user_id: number;
  /** SHA-256 of the link's token (hex). */
  token_hash: string;
  created_at: number;
  expires_at: number;
  used_at: number | null;
}
export type PasswordResetRow = Selectable<PasswordResetTable>;

declare module '../db/schema.js' {
  interface Database {
    password_resets: PasswordResetTable;
  }
}
