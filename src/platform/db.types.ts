// The database as Kysely sees it: one interface per table, gathered here.
import type { UserTable, FollowTable } from '../users/user.table.js';
import type { ArticleTable, ArticleTagTable, FavoriteTable, SiteTotalTable, TagCountTable } from '../articles/article.table.js';
import type { CommentTable } from '../comments/comment.table.js';

export interface SessionTable {
  id: string;
  data: string;
  expires_at: number;
}

export interface CacheGenerationTable {
  id: number;
  generation: number;
}

export interface RateLimitTable {
  key: string;
  count: number;
  reset_at: number;
}

export interface Database {
  users: UserTable;
  follows: FollowTable;
  articles: ArticleTable;
  article_tags: ArticleTagTable;
  tag_counts: TagCountTable;
  site_totals: SiteTotalTable;
  favorites: FavoriteTable;
  comments: CommentTable;
  sessions: SessionTable;
  rate_limits: RateLimitTable;
  cache_generation: CacheGenerationTable;
}
