// Row shape of the invites table (migration 010): a single-use sign-up link with the role it gives.
import type { Generated, Selectable } from 'kysely';

export interface InviteTable {
  id: Generated<number>;
  /** SHA-256 of the link's token (hex): a leaked table holds no usable link. */
  token_hash: string;
  role: string;
  created_by: number;
  created_at: number;
  expires_at: number;
  used_at: number | null;
  used_by: number | null;
}
export type InviteRow = Selectable<InviteTable>;

declare module '../db/schema.js' {
  interface Database {
    invites: InviteTable;
  }
}
