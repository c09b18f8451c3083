// What a CLI command needs to reach the data: config from the environment and an open, migrated database.
import { closeServices, openServices } from '../boot.js';
import { loadConfig } from '../config.js';
import { createLogger } from '../platform/logger.js';
import type { AppDeps } from '../platform/state.js';

export async function withServices<T>(work: (deps: AppDeps) => Promise<T>): Promise<T> {
  const config = loadConfig();
  const deps = await openServices(config, createLogger(process.env.LOG_LEVEL ?? 'warn', process.stderr));
  try {
    return await work(deps);
  } finally {
    await closeServices(deps);
  }
}
