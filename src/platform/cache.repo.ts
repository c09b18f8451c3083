// All SQL of the shared write generation: one row, read on every cacheable request, so both
// statements are compiled once. On SQLite the read is also offered synchronously (readNow): a
// prepared better-sqlite3 statement answers in about a microsecond, which is what lets a cache hit
// be served without entering Koa.
import { sql } from 'kysely';
import type { DatabaseHandle } from './db.js';

export function generationQueries(database: Pick<DatabaseHandle, 'db' | 'sqlite'>) {
  const { db, sqlite } = database;
  const select = db.selectFrom('cache_generation').select('generation').where('id', '=', 1).compile();
  const update = db.updateTable('cache_generation').set({ generation: sql`generation + 1` }).where('id', '=', 1).compile();
  const raw = sqlite?.prepare(select.sql).pluck();
  const readNow = raw && ((): string => String(raw.get(...select.parameters) ?? 0));
  return {
    async read(): Promise<string> {
      return String((await db.executeQuery(select)).rows[0]?.generation ?? 0);
    },
    readNow,
    async bump(): Promise<void> {
      await db.executeQuery(update);
    },
  };
}
