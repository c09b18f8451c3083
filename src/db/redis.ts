// The Redis client (ioredis), when REDIS_URL is set: shared sessions, rate limits and cache
// invalidation for several processes. Every command fails within timeoutMs, whether Redis is down
// or stalled (the error handler turns that into 503), and the client reconnects by itself.
import type { Redis } from 'ioredis';

export type { Redis };

export async function openRedis(url: string, opts: { timeoutMs: number }): Promise<Redis> {
  // Loaded only when Redis is configured: ioredis adds boot time and ~20 MB to every worker.
  const { Redis } = await import('ioredis');
  const redis = new Redis(url, {
    lazyConnect: true,
    // While not connected a command fails at once instead of waiting in a queue for a Redis that may not come back.
    enableOfflineQueue: false,
    maxRetriesPerRequest: 1,
    connectTimeout: 3000,
    // A connected Redis that does not answer (stalled, or a link that drops packets): each command gives up after timeoutMs ...
    commandTimeout: opts.timeoutMs,
    // ... and a link with replies owed and nothing heard for as long is dropped and made again, so the
    // commands after it fail at once instead of each waiting out its timeout (docs/decisions/19-timeouts.md).
    socketTimeout: opts.timeoutMs,
    // A request's commands are not sent again on the new link: the request has already been answered.
    autoResendUnfulfilledCommands: false,
    // A peer that vanished without closing is found by the kernel's probes after 10 s idle.
    keepAlive: 10_000,
    retryStrategy: (attempt) => Math.min(attempt * 200, 2000),
  });
  redis.on('error', () => undefined); // reported per command; the client keeps reconnecting
  await redis.connect();
  return redis;
}

/** Says goodbye to Redis, and stops reconnecting even when it is down (a QUIT that cannot be sent would leave the retry timer running). */
export async function closeRedis(redis: Redis): Promise<void> {
  try {
    await redis.quit();
  } catch {
    // Not connected: nothing to say goodbye to.
  } finally {
    redis.disconnect();
  }
}
