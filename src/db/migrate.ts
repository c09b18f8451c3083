// Runs the migrations in src/db/migrations, in name order; used at boot and by `quire migrate`
// (and `quire doctor` asks which are pending).
import { Migrator, type Migration, type MigrationProvider, type MigrationResultSet } from 'kysely';
import type { Db } from './database.js';
import * as m001 from './migrations/001_initial.js';
import * as m002 from './migrations/002_cache_generation.js';
import * as m003 from './migrations/003_rate_limits.js';
import * as m004 from './migrations/004_tag_counts.js';
import * as m005 from './migrations/005_tag_order.js';
import * as m006 from './migrations/006_article_total.js';
import * as m007 from './migrations/007_article_tag_list.js';
import * as m009 from './migrations/009_username_key.js';

// Listed by hand rather than read from disk, so the same list works from src/ and dist/.
const migrations: Record<string, Migration> = {
  '001_initial': m001,
  '002_cache_generation': m002,
  '003_rate_limits': m003,
  '004_tag_counts': m004,
  '005_tag_order': m005,
  '006_article_total': m006,
  '007_article_tag_list': m007,
  '009_username_key': m009,
};

const provider: MigrationProvider = { getMigrations: async () => migrations };

/**
 * Kysely runs migrations in plain sorted key order; this comparator only orders the ones already
 * run (read back at every boot) when two share a timestamp. Its default, localeCompare, loads
 * ICU's collation data into every worker for that (docs/decisions/20-idle-memory.md). Our names
 * are ASCII ("004_tag_counts"), so code-unit order is the same order.
 */
const byName = (a: string, b: string) => (a < b ? -1 : a > b ? 1 : 0);
const migrator = (db: Db) => new Migrator({ db, provider, nameComparator: byName });

export async function migrateToLatest(db: Db): Promise<string[]> {
  const result: MigrationResultSet = await migrator(db).migrateToLatest();
  if (result.error) throw result.error;
  return (result.results ?? []).filter((r) => r.status === 'Success').map((r) => r.migrationName);
}

/** The migrations this code has that the database has not run yet (applied at the next start). */
export async function pendingMigrations(db: Db): Promise<string[]> {
  const migrations = await migrator(db).getMigrations();
  return migrations.filter((m) => m.executedAt === undefined).map((m) => m.name);
}
