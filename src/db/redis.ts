// The Redis client (ioredis), when REDIS_URL is set: shared sessions, rate limits and cache
// invalidation for several processes. Every command fails within timeoutMs, whether Redis is down
// or stalled (the error handler turns that into 503), and the client reconnects by itself.
import type { Command, Redis } from 'ioredis';
import { DependencyError } from '../core/errors.js';

export type { Redis };

/** True when Redis was reached (or waited for) but did not answer in time, as opposed to refusing or closing. */
export const isRedisTimeout = (err: unknown): boolean => (err as { code?: unknown } | null)?.code === 'REDIS_TIMEOUT';

/**
 * Gives a command Quire's deadline, and its failures a code. ioredis rejects a command it could not
 * get answered (not connected and no offline queue, connection closed or lost, retries spent)
 * mostly with bare Errors told apart only by their text, and times one out with a bare "Command
 * timed out". So:
 * Redis's own replies (ReplyError: WRONGTYPE, NOSCRIPT …) go through as they are; the deadline is
 * ours, REDIS_TIMEOUT; anything else the client rejects a command with is REDIS_UNAVAILABLE,
 * whatever it says (docs/decisions/20-dependency-errors.md).
 */
function guard(command: Command, timeoutMs: number, isReply: (err: Error) => boolean): void {
  const { resolve, reject } = command;
  const timer = setTimeout(() => command.reject(new DependencyError('REDIS_TIMEOUT', `no answer from Redis within ${timeoutMs} ms`)), timeoutMs);
  command.resolve = (result) => {
    clearTimeout(timer);
    return resolve(result);
  };
  command.reject = (err) => {
    clearTimeout(timer);
    reject(err instanceof DependencyError || isReply(err) ? err : new DependencyError('REDIS_UNAVAILABLE', `Redis: ${err.message}`, { cause: err }));
  };
}

export async function openRedis(url: string, opts: { timeoutMs: number }): Promise<Redis> {
  // Loaded only when Redis is configured: ioredis adds boot time and memory to every worker
  // (docs/decisions/20-idle-memory.md).
  const { Redis, ReplyError } = await import('ioredis');
  const isReply = (err: Error) => err instanceof ReplyError;
  // ioredis may send a command again from its queues after a reconnect: it is guarded once.
  const guarded = new WeakSet<Command>();
  class GuardedRedis extends Redis {
    override sendCommand(command: Command, stream?: Parameters<Redis['sendCommand']>[1]): unknown {
      if (!guarded.has(command)) {
        guarded.add(command);
        guard(command, opts.timeoutMs, isReply);
      }
      return super.sendCommand(command, stream);
    }
  }
  const redis = new GuardedRedis(url, {
    lazyConnect: true,
    // While not connected a command fails at once instead of waiting in a queue for a Redis that may not come back.
    enableOfflineQueue: false,
    maxRetriesPerRequest: 1,
    connectTimeout: 3000,
    // A connected Redis that does not answer (stalled, or a link that drops packets): each command
    // gives up after timeoutMs (guard(), in place of ioredis's commandTimeout, whose error has no code) ...
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
