// Rate-limit windows in the database, so workers without Redis share one sign-in budget.
// Typed Kysely<any>: frozen in time.
import { MysqlAdapter, sql, type Kysely } from 'kysely';

export async function up(db: Kysely<any>): Promise<void> {
  const isMysql = db.getExecutor().adapter instanceof MysqlAdapter;
  await db.schema.createTable('rate_limits')
    .addColumn('key', 'varchar(128)', (c) => c.primaryKey())
    .addColumn('count', 'integer', (c) => c.notNull())
    .addColumn('reset_at', 'bigint', (c) => c.notNull())
    .$call((t) => (isMysql ? t.modifyEnd(sql`engine=InnoDB default charset=utf8mb4 collate=utf8mb4_bin`) : t))
    .execute();
  await db.schema.createIndex('rate_limits_reset_idx').on('rate_limits').columns(['reset_at']).execute();
}

export async function down(db: Kysely<any>): Promise<void> {
  await db.schema.dropTable('rate_limits').ifExists().execute();
}
