// The write generation shared by every worker: on SQLite a file beside the database; on MySQL one
// row in the database, never Redis (docs/decisions/19-cache-generation.md). Every authenticated
// write bumps it, and a cached entry rendered at an older one is never served (src/cache/README.md, rule 6).
import fs from 'node:fs';
import { generationQueries } from './generation.repo.js';
import type { DatabaseHandle } from '../db/database.js';
import type { Redis } from '../db/redis.js';

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
 * is one fstat, cheaper than reading a row from SQLite, on every cache hit (docs/decisions/20-fast-hits.md).
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
