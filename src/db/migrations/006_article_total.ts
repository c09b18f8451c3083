// The number of articles, kept by every article create and delete in its own transaction, so the
// home page and the unfiltered API list read one row instead of counting: InnoDB's count(*) visits
// every index entry (docs/decisions/20-counts-kept-on-write.md). One row per total, by name. Typed
// Kysely<any>: frozen in time.
import { MysqlAdapter, sql, type Kysely } from 'kysely';

export async function up(db: Kysely<any>): Promise<void> {
  const isMysql = db.getExecutor().adapter instanceof MysqlAdapter;
  await db.schema.createTable('site_totals')
    .addColumn('name', 'varchar(64)', (c) => c.primaryKey())
    .addColumn('value', 'bigint', (c) => c.notNull())
    .$call((t) => (isMysql ? t.modifyEnd(sql`engine=InnoDB default charset=utf8mb4 collate=utf8mb4_bin`) : t))
    .execute();
  await sql`insert into site_totals (name, value) select 'articles', count(*) from articles`.execute(db);
}

export async function down(db: Kysely<any>): Promise<void> {
  await db.schema.dropTable('site_totals').ifExists().execute();
}
