// The pieces of the render-once response cache: a byte-capped LRU of finished responses, and a
// write generation shared by every worker (Redis INCR when Redis is configured, else one row in
// the database). An entry is served only while the generation it was rendered at is current.
import { createHash } from 'node:crypto';
import { generationQueries } from './cache.repo.js';
import type { DatabaseHandle } from './db.js';
import type { Redis } from './redis.js';

export interface CachedResponse {
  /** The write generation current when rendering started. */
  generation: string;
  type: string;
  headers: Record<string, string>;
  body: Buffer;
  /** The body gzipped once, when it is worth compressing (COMPRESS on, compressible type, 1 KB or more). */
  gzip?: Buffer;
  etag: string;
  /**
   * Every header the finished response carried, outer layers' included, less the per-request ones
   * (date, request id, length, encoding, ETag): set once a response built from this entry has been
   * sent with status 200. Only then can a hit be answered before Koa (see fast-hits.ts).
   */
  sent?: string[];
}

const sizeOf = (entry: CachedResponse) => entry.body.length + (entry.gzip?.length ?? 0);

/** Least recently used first out, by total body bytes. */
export class ResponseLru {
  private readonly entries = new Map<string, CachedResponse>();
  private bytes = 0;

  constructor(readonly maxBytes: number) {}

  get size(): number { return this.entries.size; }
  get totalBytes(): number { return this.bytes; }

  get(key: string): CachedResponse | undefined {
    const entry = this.entries.get(key);
    if (entry) {
      this.entries.delete(key);
      this.entries.set(key, entry);
    }
    return entry;
  }

  set(key: string, entry: CachedResponse): void {
    this.delete(key);
    // One huge response must not flush everything else.
    if (sizeOf(entry) > this.maxBytes / 8) return;
    this.entries.set(key, entry);
    this.bytes += sizeOf(entry);
    for (const [oldest, old] of this.entries) {
      if (this.bytes <= this.maxBytes) break;
      this.entries.delete(oldest);
      this.bytes -= sizeOf(old);
    }
  }

  delete(key: string): void {
    const old = this.entries.get(key);
    if (old) {
      this.entries.delete(key);
      this.bytes -= sizeOf(old);
    }
  }

  clear(): void {
    this.entries.clear();
    this.bytes = 0;
  }
}

/** The same strong ETag koa-etag computes, so hits and misses agree. */
export function entityTag(body: Buffer): string {
  const hash = createHash('sha1').update(body).digest('base64').slice(0, 27);
  return `"${body.length.toString(16)}-${hash}"`;
}

export interface GenerationStore {
  /** The current write generation: read fresh, never older than the call. */
  read(): Promise<string>;
  /** The same, synchronously, where the store can (SQLite). */
  readNow?: () => string;
  /** Called before and after every write: every entry rendered earlier becomes stale. */
  bump(): Promise<void>;
}

function redisGeneration(redis: Redis, key: string): GenerationStore {
  return {
    read: coalesceReads(async () => (await redis.get(key)) ?? '0'),
    bump: async () => { await redis.incr(key); },
  };
}

function databaseGeneration(database: Pick<DatabaseHandle, 'db' | 'sqlite'>): GenerationStore {
  const queries = generationQueries(database);
  return { read: coalesceReads(queries.read), readNow: queries.readNow, bump: queries.bump };
}

export function generationStore(deps: { redis?: Redis; database: Pick<DatabaseHandle, 'db' | 'sqlite'>; config: { REDIS_PREFIX: string } }): GenerationStore {
  return deps.redis ? redisGeneration(deps.redis, `${deps.config.REDIS_PREFIX}cache:generation`) : databaseGeneration(deps.database);
}

/**
 * Many requests at once share one read, but only a read that started after they arrived: a
 * request that joined a read already in flight could miss a write acknowledged just before it.
 * So there is at most one read in flight and one queued behind it.
 */
export function coalesceReads(read: () => Promise<string>): () => Promise<string> {
  let inFlight: Promise<string> | undefined;
  let queued: Promise<string> | undefined;
  const start = (): Promise<string> => {
    const p: Promise<string> = read().finally(() => { if (inFlight === p) inFlight = undefined; });
    inFlight = p;
    return p;
  };
  return () => {
    if (!inFlight) return start();
    queued ??= inFlight.then(() => undefined, () => undefined).then(() => {
      queued = undefined;
      return start();
    });
    return queued;
  };
}
