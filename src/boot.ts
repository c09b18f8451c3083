// Opens what the app stands on — database (migrated), signing secret, tokens — in one place,
// shared by bin/www, the CLI and the tests.
import { createTokenSigner } from './runtime/tokens.js';
import type { Config } from './config.js';
import { openDatabase } from './db/database.js';
import { closeRenderer, configureRenderer } from './articles/markdown.js';
import { closeLogFiles } from './runtime/log-files.js';
import type { Logger } from './runtime/logger.js';
import { migrateToLatest } from './db/migrate.js';
import { closeRedis, openRedis, type Redis } from './db/redis.js';
import { loadOrCreateSecret } from './runtime/secret.js';
import type { AppDeps } from './runtime/deps.js';

export class BootError extends Error {
  override name = 'BootError';
}

export async function openServices(config: Readonly<Config>, logger: Logger): Promise<AppDeps> {
  const database = openDatabase(config.DATABASE_URL, {
    poolSize: config.DATABASE_POOL_SIZE, timeoutMs: config.DATABASE_TIMEOUT_MS, queueLimit: config.DATABASE_QUEUE_LIMIT,
  });
  try {
    await database.ping();
    const applied = await migrateToLatest(database.untimed);
    if (applied.length > 0) logger.info({ applied }, 'migrations applied');
  } catch (err) {
    await database.close().catch(() => undefined);
    const reason = err instanceof Error ? err.message : String(err);
    throw new BootError(`cannot use the database at ${database.label}: ${reason}`);
  }
  let redis: Redis | undefined;
  if (config.REDIS_URL) {
    try {
      redis = await openRedis(config.REDIS_URL, { timeoutMs: config.REDIS_TIMEOUT_MS });
    } catch (err) {
      await database.close().catch(() => undefined);
      throw new BootError(`cannot reach Redis at ${new URL(config.REDIS_URL).host}: ${err instanceof Error ? err.message : String(err)}`);
    }
  }
  const secret = loadOrCreateSecret(config.QUIRE_SECRET, config.DATA_DIR);
  configureRenderer({ timeoutMs: config.RENDER_TIMEOUT_MS });
  return { config, database, logger, redis, secret, tokens: createTokenSigner(secret, config.TOKEN_TTL) };
}

/** Closes everything openServices opened, and flushes this process's log files (waiting for a rotation in progress). */
export async function closeServices(deps: AppDeps): Promise<void> {
  await Promise.allSettled([deps.database.close(), deps.redis && closeRedis(deps.redis), closeLogFiles(deps.config.LOG_DIR), closeRenderer()]);
}
