// Row shape of the comments table.
import type { Generated, Selectable } from 'kysely';

export type CommentState = 'published' | 'pending' | 'spam' | 'removed';

export interface CommentTable {
  id: Generated<number>;
  article_id: number;
  author_id: number;
  body: string;
  /** published, pending (held for moderation), spam or removed (migration 011). */
  state: Generated<CommentState>;
  created_at: number;
  updated_at: number;
}
export type CommentRow = Selectable<CommentTable>;

declare module '../db/schema.js' {
  interface Database {
    comments: CommentTable;
  }
}
