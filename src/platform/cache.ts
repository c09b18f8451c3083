// The pieces of the render-once response cache: a byte-capped LRU of finished responses, and a
// write generation shared by every worker (on SQLite a file beside the database; on MySQL, Redis
// INCR when Redis is configured, else one row in the database). An entry is served only while the
// generation it was rendered at is current.
import { createHash } from 'node:crypto';
import fs from 'node:fs';
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
  /** The body in brotli too, made off the main thread once hits from clients that take br ask for it (middleware/cache.ts). */
  br?: Buffer;
  etag: string;
  /**
   * Every header the finished response carried, outer layers' included, less the per-request ones
   * (date, request id, length, encoding, ETag): set once a response built from this entry has been
   * sent with status 200. Only then can a hit be answered before Koa (see fast-hits.ts).
   */
  sent?: string[];
}

const sizeOf = (entry: CachedResponse) => entry.body.length + (entry.gzip?.length ?? 0) + (entry.br?.length ?? 0);

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
    this.evictOverCap();
  }

  /** Gives entry its brotli copy, if key still holds this very entry (not one rendered since, nor none) and it stays within an eighth of the cap. */
  addBrotli(key: string, entry: CachedResponse, br: Buffer): boolean {
    if (this.entries.get(key) !== entry || entry.br || sizeOf(entry) + br.length > this.maxBytes / 8) return false;
    entry.br = br;
    this.bytes += br.length;
    this.evictOverCap();
    return true;
  }

  private evictOverCap(): void {
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
  /** The same, synchronously, where the store can (SQLite's file). */
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

function databaseGeneration(db: DatabaseHandle['db']): GenerationStore {
  const queries = generationQueries(db);
  return { read: coalesceReads(queries.read), bump: queries.bump };
}

/** Generation files open in this process, by path: one descriptor each for the life of the process, as SQLite keeps its own. */
const generationFiles = new Map<string, number>();

/**
 * SQLite: every worker shares the database file, so they can share a file beside it whose length is
 * the generation. A bump appends one byte (O_APPEND: atomic, never lost between workers) and a read
 * is one fstat, under half the time of reading a row from SQLite, and it happens on every cache hit.
 * The inode is part of the generation, so a file deleted and made again can never match an old
 * entry; a deleted file is followed to its path, where the other workers' bumps now go.
 */
function fileGeneration(file: string): GenerationStore {
  /** This process's descriptor for the file and the file's state, reopened by path if the file was deleted. */
  const current = (): { fd: number; stats: fs.Stats } => {
    const fd = generationFiles.get(file);
    if (fd !== undefined) {
      const stats = fs.fstatSync(fd);
      if (stats.nlink > 0) return { fd, stats };
      fs.closeSync(fd);
    }
    const reopened = fs.openSync(file, 'a');
    generationFiles.set(file, reopened);
    return { fd: reopened, stats: fs.fstatSync(reopened) };
  };
  const readNow = (): string => {
    const { ino, size } = current().stats;
    return `${ino}.${size}`;
  };
  return {
    read: async () => readNow(),
    readNow,
    bump: async () => { fs.writeSync(current().fd, '+'); },
  };
}

/** An in-memory SQLite database lives in one handle of one process: a counter kept with the handle is all it needs. */
const localGenerations = new WeakMap<object, { value: number }>();

function localGeneration(db: DatabaseHandle['db']): GenerationStore {
  const counter = localGenerations.get(db) ?? { value: 0 };
  localGenerations.set(db, counter);
  const readNow = () => String(counter.value);
  return { read: async () => readNow(), readNow, bump: async () => { counter.value++; } };
}

export function generationStore(deps: { redis?: Redis; database: Pick<DatabaseHandle, 'db' | 'dialect' | 'sqliteFile'>; config: { REDIS_PREFIX: string } }): GenerationStore {
  const { database, redis } = deps;
  if (database.dialect === 'sqlite') return database.sqliteFile ? fileGeneration(`${database.sqliteFile}-generation`) : localGeneration(database.db);
  return redis ? redisGeneration(redis, `${deps.config.REDIS_PREFIX}cache:generation`) : databaseGeneration(database.db);
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
