// What a CLI command needs to reach the data: config from the environment and an open, migrated database.
import { closeServices, openServices } from '../boot.js';
import { loadConfig } from '../config.js';
import { createLogger } from '../runtime/logger.js';
import type { AppDeps } from '../runtime/deps.js';

export async function withServices<T>(work: (deps: AppDeps) => Promise<T>): Promise<T> {
  // Quieter than the server unless LOG_LEVEL says otherwise: a command's output is its answer.
  const config = loadConfig({ LOG_LEVEL: 'warn', ...process.env });
  const deps = await openServices(config, createLogger(config.LOG_LEVEL, process.stderr));
  try {
    return await work(deps);
  } finally {
    await closeServices(deps);
  }
}
