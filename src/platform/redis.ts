// The Redis client (ioredis), when REDIS_URL is set: shared sessions, rate limits and cache
// invalidation for several processes. Commands fail fast while Redis is down (the error handler
// turns that into 503) and the client reconnects by itself when it returns.
import type { Redis } from 'ioredis';

export type { Redis };

export async function openRedis(url: string): Promise<Redis> {
  // Loaded only when Redis is configured: ioredis adds boot time and ~20 MB to every worker.
  const { Redis } = await import('ioredis');
  const redis = new Redis(url, {
    lazyConnect: true,
    enableOfflineQueue: false,
    maxRetriesPerRequest: 1,
    connectTimeout: 3000,
    retryStrategy: (attempt) => Math.min(attempt * 200, 2000),
  });
  redis.on('error', () => undefined); // reported per command; the client keeps reconnecting
  await redis.connect();
  return redis;
}
