// How many articles carry each tag, kept up to date by every article write, so the popular-tags
// list (home page, tag pages, GET /api/tags) is an index read instead of a GROUP BY over every
// tag row. Backfilled from article_tags. Typed Kysely<any>: frozen in time.
import { MysqlAdapter, sql, type Kysely } from 'kysely';

export async function up(db: Kysely<any>): Promise<void> {
  const isMysql = db.getExecutor().adapter instanceof MysqlAdapter;
  await db.schema.createTable('tag_counts')
    .addColumn('tag', 'varchar(64)', (c) => c.primaryKey())
    .addColumn('articles', 'integer', (c) => c.notNull())
    .$call((t) => (isMysql ? t.modifyEnd(sql`engine=InnoDB default charset=utf8mb4 collate=utf8mb4_bin`) : t))
    .execute();
  await db.schema.createIndex('tag_counts_popular_idx').on('tag_counts').columns(['articles desc', 'tag']).execute();
  await sql`insert into tag_counts (tag, articles) select tag, count(*) from article_tags group by tag`.execute(db);
}

export async function down(db: Kysely<any>): Promise<void> {
  await db.schema.dropTable('tag_counts').ifExists().execute();
}
