// One row counting writes, so every worker (and every machine on one database) can tell when a
// cached response is out of date without Redis. Typed Kysely<any>: frozen in time.
import type { Kysely } from 'kysely';

export async function up(db: Kysely<any>): Promise<void> {
  await db.schema.createTable('cache_generation')
    .addColumn('id', 'integer', (c) => c.primaryKey())
    .addColumn('generation', 'bigint', (c) => c.notNull())
    .execute();
  await db.insertInto('cache_generation').values({ id: 1, generation: 0 }).execute();
}

export async function down(db: Kysely<any>): Promise<void> {
  await db.schema.dropTable('cache_generation').ifExists().execute();
}
