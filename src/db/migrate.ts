// Runs the migrations in src/db/migrations, in name order; used at boot and by `quire migrate`
// (and `quire doctor` asks which are pending).
import { promises as fs } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { FileMigrationProvider, Migrator, type MigrationResultSet } from 'kysely';
import type { Db } from './database.js';

// Read from the folder beside this file: .ts files under tsx, the .js files tsc emits in dist/, so
// adding a migration is adding its file. Kysely imports each one; a name is its file name.
const provider = new FileMigrationProvider({ fs, path, migrationFolder: fileURLToPath(new URL('./migrations', import.meta.url)) });

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
