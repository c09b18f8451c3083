// What the app is built from: the services boot.ts opens once per process and hands to every layer.
import type { Config } from '../config.js';
import type { DatabaseHandle } from '../db/database.js';
import type { Redis } from '../db/redis.js';
import type { Logger } from './logger.js';
import type { TokenSigner } from './tokens.js';

export interface AppDeps {
  config: Readonly<Config>;
  database: DatabaseHandle;
  logger: Logger;
  tokens: TokenSigner;
  /** Present when REDIS_URL is set. */
  redis?: Redis;
  /** The signing secret (tokens, cookies), shared by every worker. */
  secret: string;
}
