// Where web sessions live, so every worker and machine sees the same ones: Redis when REDIS_URL is
// set, else the database's sessions table. Keys are SHA-256 hashes of the session id, so a copy of
// the store is no list of live cookies.
import { createHash } from 'node:crypto';
import type { DatabaseHandle } from '../db/database.js';
import type { Redis } from '../db/redis.js';
import * as repo from './session.repo.js';

export interface SessionStore {
  get(id: string, maxAge: number | 'session' | undefined): Promise<Record<string, unknown> | undefined>;
  set(id: string, data: Record<string, unknown>, maxAge: number | 'session' | undefined): Promise<void>;
  destroy(id: string): Promise<void>;
}

const hashId = (id: string) => createHash('sha256').update(id).digest('hex');
const DAY = 86_400_000;
const ttlOf = (maxAge: number | 'session' | undefined) => (typeof maxAge === 'number' ? maxAge : DAY);

function parse(text: string | null | undefined): Record<string, unknown> | undefined {
  if (!text) return undefined;
  try {
    const value: unknown = JSON.parse(text);
    return value && typeof value === 'object' ? (value as Record<string, unknown>) : undefined;
  } catch {
    return undefined;
  }
}

function redisSessionStore(redis: Redis, prefix: string): SessionStore {
  const key = (id: string) => `${prefix}sess:${hashId(id)}`;
  return {
    get: async (id) => parse(await redis.get(key(id))),
    set: async (id, data, maxAge) => { await redis.set(key(id), JSON.stringify(data), 'PX', ttlOf(maxAge)); },
    destroy: async (id) => { await redis.del(key(id)); },
  };
}

/** One save in this many also sweeps expired rows, so the table does not grow without bound. */
const SWEEP_EVERY = 200;

function databaseSessionStore(database: Pick<DatabaseHandle, 'db'>): SessionStore {
  const { db } = database;
  return {
    get: async (id) => parse(await repo.findSession(db, hashId(id), Date.now())),
    async set(id, data, maxAge) {
      const now = Date.now();
      await repo.saveSession(db, { id: hashId(id), data: JSON.stringify(data), expires_at: now + ttlOf(maxAge) });
      if (Math.random() * SWEEP_EVERY < 1) await repo.deleteExpiredSessions(db, now);
    },
    destroy: (id) => repo.deleteSession(db, hashId(id)),
  };
}

export function sessionStoreFor(deps: { database: Pick<DatabaseHandle, 'db'>; redis?: Redis; prefix: string }): SessionStore {
  return deps.redis ? redisSessionStore(deps.redis, deps.prefix) : databaseSessionStore(deps.database);
}
