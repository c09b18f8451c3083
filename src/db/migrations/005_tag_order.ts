// Tag pages newest first, from one index range: each article_tags row carries its article's
// created_at (set once, never changed), indexed as (tag, created_at, article_id). MariaDB had no good
// plan for "articles with tag T, newest first": it read every row of the tag and sorted them, or
// walked all articles in date order (docs/decisions/20-list-ids-first.md). The new index replaces
// (tag, article_id). Typed Kysely<any>: frozen in time.
import { MysqlAdapter, sql, type Kysely } from 'kysely';

/** DROP INDEX names its table on MySQL and must not on SQLite. */
function dropIndex(db: Kysely<any>, name: string) {
  const drop = db.schema.dropIndex(name);
  return db.getExecutor().adapter instanceof MysqlAdapter ? drop.on('article_tags') : drop;
}

export async function up(db: Kysely<any>): Promise<void> {
  await db.schema.alterTable('article_tags').addColumn('created_at', 'bigint', (c) => c.notNull().defaultTo(0)).execute();
  await sql`update article_tags set created_at = (select articles.created_at from articles where articles.id = article_tags.article_id)`.execute(db);
  await db.schema.createIndex('article_tags_tag_created_idx').on('article_tags').columns(['tag', 'created_at', 'article_id']).execute();
  await dropIndex(db, 'article_tags_tag_idx').execute();
}

export async function down(db: Kysely<any>): Promise<void> {
  await db.schema.createIndex('article_tags_tag_idx').on('article_tags').columns(['tag', 'article_id']).execute();
  await dropIndex(db, 'article_tags_tag_created_idx').execute();
  await db.schema.alterTable('article_tags').dropColumn('created_at').execute();
}
