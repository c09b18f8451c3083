// The response cache's memory: an LRU of finished responses capped by entries and by every byte
// they hold. An entry is served only while the write generation it was rendered at is current
// (generation.ts).
import { createHash } from 'node:crypto';

export interface CachedResponse {
  /** The write generation current when rendering started. */
  generation: string;
  type: string;
  headers: Record<string, string>;
  body: Buffer;
  /** The body gzipped once, when it is worth compressing (COMPRESS on, compressible type, 1 KB or more). */
  gzip?: Buffer;
  /** The body in brotli too, made off the main thread once hits from clients that take br ask for it (cache/response-cache.ts). */
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
 * V8 keeps a slice as a view of the whole, so a short key could keep a long URL alive whatever its
 * own length said (docs/decisions/19-cache-memory.md). UTF-16 there and back is lossless.
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
