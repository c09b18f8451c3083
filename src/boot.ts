// Opens what the app stands on — database (migrated), signing secret, tokens — in one place,
// shared by bin/www, the CLI and the tests.
import { createTokenSigner } from './users/token.js';
import type { Config } from './config.js';
import { openDatabase } from './platform/db.js';
import type { Logger } from './platform/logger.js';
import { migrateToLatest } from './platform/migrate.js';
import { loadOrCreateSecret } from './platform/secret.js';
import type { AppDeps } from './platform/state.js';

export class BootError extends Error {
  override name = 'BootError';
}

export async function openServices(config: Readonly<Config>, logger: Logger): Promise<AppDeps> {
  const database = openDatabase(config.DATABASE_URL, { poolSize: config.DATABASE_POOL_SIZE });
  try {
    await database.ping();
    const applied = await migrateToLatest(database.db);
    if (applied.length > 0) logger.info({ applied }, 'migrations applied');
  } catch (err) {
    await database.close().catch(() => undefined);
    const reason = err instanceof Error ? err.message : String(err);
    throw new BootError(`cannot use the database at ${database.label}: ${reason}`);
  }
  const secret = loadOrCreateSecret(config.QUIRE_SECRET, config.DATA_DIR);
  return { config, database, logger, tokens: createTokenSigner(secret, config.TOKEN_TTL) };
}
