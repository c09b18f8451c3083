// The mail outbox (issue 21): messages are stored here in the request's transaction and sent by a
// background sender with a lease and retries, so sending never blocks a request and an SMTP server
// that is down loses nothing. The index on next_attempt_at finds due mail; sent and failed rows
// hold NULL there. Typed Kysely<any>: frozen in time.
import { MysqlAdapter, sql, type CreateTableBuilder, type Kysely } from 'kysely';

export async function up(db: Kysely<any>): Promise<void> {
  const isMysql = db.getExecutor().adapter instanceof MysqlAdapter;
  const createTable = (name: string) => db.schema.createTable(name).$call((t: CreateTableBuilder<string>) =>
    (isMysql ? t.modifyEnd(sql`engine=InnoDB default charset=utf8mb4 collate=utf8mb4_bin`) : t));
  // MySQL's TEXT holds 64 KB; a body may be up to 1 MB (src/mail/outbox.ts).
  const body = isMysql ? sql`mediumtext` : sql`text`;

  await createTable('mail_outbox')
    .addColumn('id', 'integer', (c) => c.primaryKey().autoIncrement())
    .addColumn('to_address', 'varchar(320)', (c) => c.notNull())
    .addColumn('subject', 'varchar(500)', (c) => c.notNull())
    .addColumn('text_body', body, (c) => c.notNull())
    .addColumn('html_body', body)
    .addColumn('created_at', 'bigint', (c) => c.notNull())
    .addColumn('attempts', 'integer', (c) => c.notNull().defaultTo(0))
    .addColumn('next_attempt_at', 'bigint')
    .addColumn('lease_until', 'bigint')
    .addColumn('sent_at', 'bigint')
    .addColumn('failed_at', 'bigint')
    .addColumn('last_error', 'varchar(500)')
    .execute();
  await db.schema.createIndex('mail_outbox_due_idx').on('mail_outbox').column('next_attempt_at').execute();
}

export async function down(db: Kysely<any>): Promise<void> {
  await db.schema.dropTable('mail_outbox').ifExists().execute();
}
