// Each article's tags, also kept on its own row as a JSON array (sorted when the app writes it;
// backfilled here in the database's aggregate order), written in the same transaction as its
// article_tags rows. A list of 20 articles then reads the column instead of aggregating each
// article's tag rows in a correlated subquery (docs/decisions/20-tag-list-on-row.md). article_tags
// stays the source for tag pages and counts; a NULL list (a row written by an older release) is
// read from them. Typed Kysely<any>: frozen in time.
import { MysqlAdapter, sql, type Kysely } from 'kysely';

export async function up(db: Kysely<any>): Promise<void> {
  const isMysql = db.getExecutor().adapter instanceof MysqlAdapter;
  await db.schema.alterTable('articles').addColumn('tag_list', 'text').execute();
  await (isMysql
    ? sql`update articles set tag_list = coalesce((select json_arrayagg(article_tags.tag) from article_tags where article_tags.article_id = articles.id), '[]')`
    : sql`update articles set tag_list = (select json_group_array(article_tags.tag) from article_tags where article_tags.article_id = articles.id)`
  ).execute(db);
}

export async function down(db: Kysely<any>): Promise<void> {
  await db.schema.alterTable('articles').dropColumn('tag_list').execute();
}
