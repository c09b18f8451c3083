// Moderation (issue 21): a state on every comment (published, pending, spam, removed; existing ones
// are published), readers' reports of comments and articles, and the log of every moderation action.
// Typed Kysely<any>: frozen in time.
import { MysqlAdapter, sql, type CreateTableBuilder, type Kysely } from 'kysely';

export async function up(db: Kysely<any>): Promise<void> {
  const isMysql = db.getExecutor().adapter instanceof MysqlAdapter;
  const createTable = (name: string) => db.schema.createTable(name).$call((t: CreateTableBuilder<string>) =>
    (isMysql ? t.modifyEnd(sql`engine=InnoDB default charset=utf8mb4 collate=utf8mb4_bin`) : t));

  await db.schema.alterTable('comments').addColumn('state', 'varchar(16)', (c) => c.notNull().defaultTo('published')).execute();
  // The moderation queue: pending comments, oldest first.
  await db.schema.createIndex('comments_state_idx').on('comments').columns(['state', 'id']).execute();

  await createTable('reports')
    .addColumn('id', 'integer', (c) => c.primaryKey().autoIncrement())
    .addColumn('reporter_id', 'integer', (c) => c.notNull().references('users.id').onDelete('cascade'))
    .addColumn('target_type', 'varchar(16)', (c) => c.notNull())
    .addColumn('target_id', 'integer', (c) => c.notNull())
    .addColumn('reason', 'varchar(500)', (c) => c.notNull())
    .addColumn('created_at', 'bigint', (c) => c.notNull())
    .addColumn('resolved_at', 'bigint')
    .execute();
  await db.schema.createIndex('reports_open_idx').on('reports').columns(['resolved_at', 'id']).execute();

  await createTable('moderation_log')
    .addColumn('id', 'integer', (c) => c.primaryKey().autoIncrement())
    .addColumn('actor_id', 'integer', (c) => c.references('users.id').onDelete('set null'))
    .addColumn('actor_name', 'varchar(64)', (c) => c.notNull())
    .addColumn('action', 'varchar(32)', (c) => c.notNull())
    .addColumn('target_type', 'varchar(16)', (c) => c.notNull())
    .addColumn('target_id', 'integer', (c) => c.notNull())
    .addColumn('note', 'varchar(500)', (c) => c.notNull().defaultTo(''))
    .addColumn('created_at', 'bigint', (c) => c.notNull())
    .execute();
}

export async function down(db: Kysely<any>): Promise<void> {
  await db.schema.dropTable('moderation_log').ifExists().execute();
  await db.schema.dropTable('reports').ifExists().execute();
  const isMysql = db.getExecutor().adapter instanceof MysqlAdapter;
  await db.schema.dropIndex('comments_state_idx').$call((d) => (isMysql ? d.on('comments') : d)).execute();
  await db.schema.alterTable('comments').dropColumn('state').execute();
}
