// People (issue 21): a role and a status on every account, site settings, and invites.
// users.role replaces users.is_admin (admins keep admin; everyone else becomes an author, which is
// what every account could do before roles). users.status is active, suspended or banned.
// settings holds one row per changed setting (defaults live in the code). invites are single-use
// links, kept by the hash of their token. Typed Kysely<any>: frozen in time.
import { MysqlAdapter, sql, type CreateTableBuilder, type Kysely } from 'kysely';

export async function up(db: Kysely<any>): Promise<void> {
  const isMysql = db.getExecutor().adapter instanceof MysqlAdapter;
  const createTable = (name: string) => db.schema.createTable(name).$call((t: CreateTableBuilder<string>) =>
    (isMysql ? t.modifyEnd(sql`engine=InnoDB default charset=utf8mb4 collate=utf8mb4_bin`) : t));
  await db.schema.alterTable('users').addColumn('role', 'varchar(16)', (c) => c.notNull().defaultTo('author')).execute();
  await db.schema.alterTable('users').addColumn('status', 'varchar(16)', (c) => c.notNull().defaultTo('active')).execute();
  await db.updateTable('users').set({ role: 'admin' }).where('is_admin', '=', 1).execute();
  await db.schema.alterTable('users').dropColumn('is_admin').execute();

  await createTable('settings')
    .addColumn('key', 'varchar(64)', (c) => c.primaryKey())
    .addColumn('value', 'text', (c) => c.notNull())
    .addColumn('updated_at', 'bigint', (c) => c.notNull())
    .execute();

  await createTable('invites')
    .addColumn('id', 'integer', (c) => c.primaryKey().autoIncrement())
    .addColumn('token_hash', 'varchar(64)', (c) => c.notNull().unique())
    .addColumn('role', 'varchar(16)', (c) => c.notNull())
    .addColumn('created_by', 'integer', (c) => c.notNull().references('users.id').onDelete('cascade'))
    .addColumn('created_at', 'bigint', (c) => c.notNull())
    .addColumn('expires_at', 'bigint', (c) => c.notNull())
    .addColumn('used_at', 'bigint')
    .addColumn('used_by', 'integer', (c) => c.references('users.id').onDelete('set null'))
    .execute();
}

export async function down(db: Kysely<any>): Promise<void> {
  await db.schema.dropTable('invites').ifExists().execute();
  await db.schema.dropTable('settings').ifExists().execute();
  await db.schema.alterTable('users').addColumn('is_admin', 'integer', (c) => c.notNull().defaultTo(0)).execute();
  await db.updateTable('users').set({ is_admin: 1 }).where('role', '=', 'admin').execute();
  await db.schema.alterTable('users').dropColumn('status').execute();
  await db.schema.alterTable('users').dropColumn('role').execute();
}
