// Row shapes of the articles, article_tags, tag_counts and favorites tables.
import type { Generated, Selectable } from 'kysely';

export interface ArticleTable {
  id: Generated<number>;
  slug: string;
  title: string;
  description: string;
  body: string;
  /** Markdown rendered and sanitised once, at write time. */
  body_html: string;
  author_id: number;
  created_at: number;
  updated_at: number;
  /** Its tags as a sorted JSON array, written with its article_tags rows (tagListText); NULL (a row of an older release) is read from them. */
  tag_list: string | null;
}
export type ArticleRow = Selectable<ArticleTable>;

export interface ArticleTagTable {
  article_id: number;
  tag: string;
  /** The article's created_at, copied (it never changes), so a tag's articles are read newest first from one index. */
  created_at: number;
}

/** Totals kept by the writes that change them ('articles': how many articles there are). */
export interface SiteTotalTable {
  name: string;
  value: number;
}

/** How many articles carry a tag: written with article_tags, read for the popular tags. */
export interface TagCountTable {
  tag: string;
  articles: number;
}

export interface FavoriteTable {
  user_id: number;
  article_id: number;
  created_at: number;
}

declare module '../db/schema.js' {
  interface Database {
    articles: ArticleTable;
    article_tags: ArticleTagTable;
    tag_counts: TagCountTable;
    site_totals: SiteTotalTable;
    favorites: FavoriteTable;
  }
}
