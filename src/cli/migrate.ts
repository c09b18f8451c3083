// `quire migrate`: brings the database named by DATABASE_URL to the latest schema.
import { loadConfig } from '../config.js';
import { openDatabase } from '../db/database.js';
import { migrateToLatest } from '../db/migrate.js';

export async function run(): Promise<void> {
  const config = loadConfig();
  const database = openDatabase(config.DATABASE_URL);
  try {
    const applied = await migrateToLatest(database.db);
    process.stdout.write(applied.length ? `applied: ${applied.join(', ')}\n` : `${database.label} is up to date\n`);
  } finally {
    await database.close();
  }
}
