// All SQL of the shared write generation: one row, read on every cacheable request, so both
// statements are compiled once. Used on MySQL, with Redis or without: a reader of a cached page then
// waits on no store its page did not come from (SQLite keeps its generation in a file, see generation.ts).
import { sql } from 'kysely';
import type { DatabaseHandle } from '../db/database.js';

export function generationQueries(db: DatabaseHandle['db']) {
  const select = db.selectFrom('cache_generation').select('generation').where('id', '=', 1).compile();
  const update = db.updateTable('cache_generation').set({ generation: sql`generation + 1` }).where('id', '=', 1).compile();
  return {
    async read(): Promise<string> {
      return String((await db.executeQuery(select)).rows[0]?.generation ?? 0);
    },
    async bump(): Promise<void> {
      await db.executeQuery(update);
    },
  };
}
