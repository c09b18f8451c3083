// The pieces of the render-once response cache: an LRU of finished responses capped by entries and
// by every byte they hold, and a write generation shared by every worker (on SQLite a file beside
// the database; on MySQL one row in the database, never Redis: docs/decisions/19-cache-generation.md).
// An entry is served only while the generation it was rendered at is current.
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

/**
 * What an entry costs beyond the bytes counted one by one: the Map slot, the entry and headers
 * objects, four Buffer views and their backing-store records, the array of sent headers. Measured
 * with entries as the app makes them (docs/decisions/19-cache-memory.md), rounded up.
 */
export const ENTRY_OVERHEAD_BYTES = 1024;

/** A string's bytes at most: V8 keeps one byte a character for Latin-1 text, two otherwise. */
const stringBytes = (s: string) => 2 * s.length + 16;

/** Everything an entry held under key keeps alive: key, headers, every encoded copy, the sent headers, and a fixed overhead. */
export function entryBytes(key: string, entry: CachedResponse, overhead = ENTRY_OVERHEAD_BYTES): number {
  let bytes = overhead + stringBytes(key) + stringBytes(entry.type) + stringBytes(entry.etag) + stringBytes(entry.generation);
  for (const name in entry.headers) bytes += stringBytes(name) + stringBytes(entry.headers[name]!);
  bytes += entry.body.length + (entry.gzip?.length ?? 0) + (entry.br?.length ?? 0);
  for (const header of entry.sent ?? []) bytes += stringBytes(header);
  return bytes;
}

/**
 * A copy of bytes that owns its memory: a small Buffer is often a view of a shared 8 KB pool slab
 * (Buffer.from, zlib's output), and an entry holding the view would pin the whole slab.
 */
export function ownedBytes(bytes: Buffer): Buffer {
  if (bytes.byteOffset === 0 && bytes.buffer.byteLength === bytes.length) return bytes;
  const copy = Buffer.allocUnsafeSlow(bytes.length);
  bytes.copy(copy);
  return copy;
}

/**
 * A copy of s that refers to no other string. A key is built from slices of the request's URL, and
 * V8 keeps a slice as a view of the whole: an entry keyed by one kept a 12 KB URL alive for a 13-byte
 * path, whatever its key's length said (a pm2 worker died of it). UTF-16 there and back is lossless.
 */
function ownedString(s: string): string {
  return Buffer.from(s, 'utf16le').toString('utf16le');
}

export interface LruLimits {
  maxBytes: number;
  maxEntries?: number;
  /** Bytes counted per entry beyond its strings and buffers (ENTRY_OVERHEAD_BYTES). */
  entryOverhead?: number;
}

/** Least recently used first out, within a cap on entries and one on all the bytes they hold (entryBytes). */
export class ResponseLru {
  private readonly entries = new Map<string, { entry: CachedResponse; bytes: number }>();
  private bytes = 0;
  readonly maxBytes: number;
  readonly maxEntries: number;
  private readonly overhead: number;

  constructor(limits: number | LruLimits) {
    const { maxBytes, maxEntries = Infinity, entryOverhead = ENTRY_OVERHEAD_BYTES } = typeof limits === 'number' ? { maxBytes: limits } : limits;
    this.maxBytes = maxBytes;
    this.maxEntries = maxEntries;
    this.overhead = entryOverhead;
  }

  get size(): number { return this.entries.size; }
  get totalBytes(): number { return this.bytes; }

  /** What entry costs held under key, as the caps count it. */
  bytesOf(key: string, entry: CachedResponse): number {
    return entryBytes(key, entry, this.overhead);
  }

  get(key: string): CachedResponse | undefined {
    const slot = this.entries.get(key);
    if (slot) {
      this.entries.delete(key);
      this.entries.set(key, slot);
    }
    return slot?.entry;
  }

  set(key: string, entry: CachedResponse): void {
    this.delete(key);
    const bytes = this.bytesOf(key, entry);
    // One huge response must not flush everything else.
    if (bytes > this.maxBytes / 8) return;
    this.entries.set(ownedString(key), { entry, bytes });
    this.bytes += bytes;
    this.evictOverCap();
  }

  /** Gives entry its brotli copy, if key still holds this very entry (not one rendered since, nor none) and it stays within an eighth of the cap. */
  addBrotli(key: string, entry: CachedResponse, br: Buffer): boolean {
    if (entry.br) return false;
    return this.grow(key, entry, br.length, () => { entry.br = br; });
  }

  /** Records the headers a response built from entry went out with (fast-hits.ts answers from them), if key still holds it. */
  addSent(key: string, entry: CachedResponse, sent: string[]): boolean {
    if (entry.sent) return false;
    const bytes = sent.reduce((sum, header) => sum + stringBytes(header), 0);
    return this.grow(key, entry, bytes, () => { entry.sent = sent; });
  }

  private grow(key: string, entry: CachedResponse, added: number, apply: () => void): boolean {
    const slot = this.entries.get(key);
    if (slot?.entry !== entry || slot.bytes + added > this.maxBytes / 8) return false;
    apply();
    slot.bytes += added;
    this.bytes += added;
    this.evictOverCap();
    return true;
  }

  private evictOverCap(): void {
    for (const [oldest, old] of this.entries) {
      if (this.bytes <= this.maxBytes && this.entries.size <= this.maxEntries) break;
      this.entries.delete(oldest);
      this.bytes -= old.bytes;
    }
  }

  delete(key: string): void {
    const old = this.entries.get(key);
    if (old) {
      this.entries.delete(key);
      this.bytes -= old.bytes;
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

/**
 * How long a hit waits for the database to say what the generation is. Past it, the request is served
 * uncached (and fails in its turn if the database is really gone): a stalled database then holds a
 * reader for about this plus the query timeout (DATABASE_TIMEOUT_MS), not twice that.
 */
export const GENERATION_READ_DEADLINE_MS = 1000;

/** promise, or a rejection once ms have passed. */
function withDeadline<T>(promise: Promise<T>, ms: number, what: string): Promise<T> {
  let timer: NodeJS.Timeout | undefined;
  const deadline = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(new Error(`${what} took over ${ms} ms`)), ms);
  });
  return Promise.race([promise, deadline]).finally(() => clearTimeout(timer));
}

function databaseGeneration(db: DatabaseHandle['db']): GenerationStore {
  const queries = generationQueries(db);
  return {
    read: coalesceReads(() => withDeadline(queries.read(), GENERATION_READ_DEADLINE_MS, 'reading the cache generation')),
    bump: queries.bump,
  };
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

/**
 * On MySQL the generation is the database's row even when Redis is configured: a hit then waits on
 * nothing the page itself does not depend on, and a stalled Redis cannot hold a single reader
 * (docs/decisions/19-cache-generation.md has the A/B of the two).
 */
export function generationStore(deps: { redis?: Redis; database: Pick<DatabaseHandle, 'db' | 'dialect' | 'sqliteFile'>; config: { REDIS_PREFIX: string } }): GenerationStore {
  const { database } = deps;
  if (database.dialect === 'sqlite') return database.sqliteFile ? fileGeneration(`${database.sqliteFile}-generation`) : localGeneration(database.db);
  return databaseGeneration(database.db);
}

/**
 * Many requests at once share one read, but only a read that started after they arrived: a
 * request that joined a read already in flight could miss a write acknowledged just before it.
 * So there is at most one read in flight and one queued behind it. When the read in flight fails,
 * the queued callers fail with it rather than wait for one more (they are served uncached): a
 * stalled store holds a caller for one read's deadline, never two.
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
    queued ??= inFlight.then(
      () => { queued = undefined; return start(); },
      (err: unknown) => { queued = undefined; throw err; },
    );
    return queued;
  };
}
