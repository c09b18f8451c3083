// All SQL of the seeder: bulk inserts with explicit ids, and emptying a site.
import type { Insertable } from 'kysely';
import type { Db } from '../db/database.js';
import type { Database } from '../db/schema.js';

export type SeededTable = 'users' | 'follows' | 'articles' | 'article_tags' | 'favorites' | 'comments';

/** Inserts rows in statements of at most perStatement rows (SQLite binds at most 32766 parameters). */
export async function insertRows<T extends SeededTable>(db: Db, table: T, rows: Insertable<Database[T]>[], perStatement: number): Promise<void> {
  for (let i = 0; i < rows.length; i += perStatement) {
    await db.insertInto(table).values(rows.slice(i, i + perStatement) as never).execute();
  }
}

/** Deletes every user and everything they wrote, children first. */
export async function deleteSite(db: Db): Promise<void> {
  for (const table of ['comments', 'favorites', 'article_tags', 'tag_counts', 'articles', 'follows', 'sessions', 'users'] as const) {
    await db.deleteFrom(table).execute();
  }
  await db.updateTable('site_totals').set({ value: 0 }).execute();
}

export async function hasUsers(db: Db): Promise<boolean> {
  return (await db.selectFrom('users').select('id').limit(1).executeTakeFirst()) !== undefined;
}
