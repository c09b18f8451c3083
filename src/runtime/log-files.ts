// The log files this process writes (access, error): one file per pm2 worker, each rotated by the
// process that writes it, so no two processes ever rename or compress the same file.
// Why this design, and what operators see on disk: docs/operations.md.
import fs from 'node:fs/promises';
import path from 'node:path';
import type { Writable } from 'node:stream';
import { createStream, type Generator } from 'rotating-file-stream';
import type { Config } from '../config.js';

export type LogKind = 'access' | 'error';

export interface LogFileOptions {
  dir: string;
  kind: LogKind;
  /** The pm2 instance id; undefined for a single process. */
  worker?: string;
  /** Rotate when the file reaches this many bytes; 0 = by time only. */
  rotateBytes: number;
  /** Rotate at this interval (rotating-file-stream syntax: 1d, 6h, 30m), or 'off'. */
  interval: string;
  /** Rotated files older than this are deleted. */
  retainDays: number;
}

export function logFileOptions(config: Readonly<Config>, kind: LogKind): LogFileOptions {
  return {
    dir: config.LOG_DIR,
    kind,
    worker: config.NODE_APP_INSTANCE,
    rotateBytes: config.logRotateBytes,
    interval: config.LOG_ROTATE_INTERVAL,
    retainDays: config.LOG_RETAIN_DAYS,
  };
}

/** access.log, or access-<worker>.log under pm2: the file being written now. */
export function currentLogName(kind: LogKind, worker?: string): string {
  return worker === undefined ? `${kind}.log` : `${kind}-${worker}.log`;
}

/** A rotated file: access-<worker>-20250102-030405-1.log.gz, named after its stem so workers never collide. */
export function rotatedLogName(kind: LogKind, worker: string | undefined, time: Date, index: number): string {
  const stem = currentLogName(kind, worker).slice(0, -'.log'.length);
  const stamp = time.toISOString().replace(/[-:]/g, '').replace('T', '-').slice(0, 15);
  return `${stem}-${stamp}-${index}.log.gz`;
}

/** True for every access log file in a directory listing: current or rotated, any worker. */
export function isAccessLogName(name: string): boolean {
  return /^access(-\w+)?(-\d{8}-\d{6}-\d+)?\.log(\.gz)?$/.test(name);
}

const open = new Map<string, Writable>();

/** Opens (once per path, per process) a rotating log file. LOG_DIR is created when missing. */
export function openLogFile(opts: LogFileOptions): Writable {
  const file = path.resolve(opts.dir, currentLogName(opts.kind, opts.worker));
  const existing = open.get(file);
  if (existing) return existing;
  const generator: Generator = (time, index) =>
    time ? rotatedLogName(opts.kind, opts.worker, new Date(time), index ?? 1) : currentLogName(opts.kind, opts.worker);
  const stream = createStream(generator, {
    path: path.resolve(opts.dir),
    compress: 'gzip',
    intervalBoundary: true,
    intervalUTC: true,
    ...(opts.rotateBytes > 0 ? { size: `${opts.rotateBytes}B` } : {}),
    ...(opts.interval !== 'off' ? { interval: opts.interval } : {}),
  });
  // A full disk or an unwritable LOG_DIR must not take the server down: say so on stderr, once.
  let warned = false;
  stream.on('error', (err: Error) => {
    if (!warned) process.stderr.write(`quire: cannot write ${file}: ${err.message}\n`);
    warned = true;
  });
  stream.on('rotated', () => void pruneRotated(opts).catch(() => undefined));
  open.set(file, stream);
  return stream;
}

/** A line writer: call it with a line; whenWritable says when to wait for it (see openLineLog). */
export type LineLog = ((line: string) => void) & {
  /** Undefined while the queue is under its bound; else resolves once it is (or after MAX_WAIT_MS). */
  whenWritable(): Promise<void> | undefined;
  /** Bytes held and not yet written: queued here plus the write in flight. */
  queuedBytes(): number;
};

// Line writers by path, each with the lines it has not yet handed to its file: flushed by closeLogFiles before the file closes.
const lineLogs = new Map<string, { log: LineLog; flush: (final?: boolean) => void }>();

/**
 * Lines are held until this many bytes are pending or FLUSH_MS has passed since the first of them, as
 * nginx's `access_log … buffer= flush=` does. Writing once per event-loop turn instead cost a worker
 * whose clients were slower than it (so each turn served only a request or two) a write on the thread
 * pool, with its wake-ups, for every line or two (docs/decisions/20-access-log-batching.md).
 */
const FLUSH_BYTES = 64 * 1024;
const FLUSH_MS = 200;
/** Past this much queued, writers are asked to wait (whenWritable) ... */
const BEHIND_BYTES = 8 * 1024 * 1024;
/** ... for at most this long each, so a disk that has stopped cannot stop the site with it ... */
const MAX_WAIT_MS = 2000;
/** ... and only past this, with the disk stalled for longer than the waits, are lines dropped (and counted). */
const MAX_QUEUED_BYTES = 64 * 1024 * 1024;

/**
 * A rotating log written line by line, in chunks of whole lines. One write is in flight at a time, and
 * it carries every line gathered since the last: rotating-file-stream awaits one file write per chunk
 * it was handed, each completing only on a later turn of a busy event loop, so queued chunks drained
 * slowly under a flood and the queue grew without bound (docs/decisions/19-access-log-flood.md).
 * Lines stay whole: a rotation happens between chunks. One writer per path and process, however
 * often it is opened, so every line shares one queue; closeLogFiles flushes what is pending.
 */
export function openLineLog(opts: LogFileOptions): LineLog {
  const file = path.resolve(opts.dir, currentLogName(opts.kind, opts.worker));
  const existing = lineLogs.get(file);
  if (existing) return existing.log;
  const stream = openLogFile(opts);
  let pending = '';
  let writing = false;
  let dropped = 0;
  let timer: NodeJS.Timeout | undefined;
  let caughtUp: { promise: Promise<void>; resolve: () => void; timer: NodeJS.Timeout } | undefined;
  const queuedBytes = () => pending.length + stream.writableLength;
  const wake = () => {
    if (!caughtUp || queuedBytes() > BEHIND_BYTES) return;
    clearTimeout(caughtUp.timer);
    caughtUp.resolve();
    caughtUp = undefined;
  };
  const lineCount = (text: string) => text.split('\n').length - 1;
  const flush = (final = false) => {
    clearTimeout(timer);
    timer = undefined;
    if (pending === '' || (writing && !final)) return;
    if (stream.writableEnded || stream.destroyed) {
      // Closed at shutdown, or failed (its error was reported): these lines have nowhere to go.
      process.stderr.write(`quire: ${file} is closed; ${lineCount(pending)} line(s) logged after it closed were dropped\n`);
      pending = '';
      return;
    }
    const chunk = pending;
    pending = '';
    writing = true;
    stream.write(chunk, () => {
      writing = false;
      wake();
      if (pending.length >= FLUSH_BYTES) flush();
      else if (pending !== '') timer ??= setTimeout(flush, FLUSH_MS);
    });
  };
  const log = ((line: string) => {
    if (pending.length > MAX_QUEUED_BYTES) {
      if (dropped === 0) process.stderr.write(`quire: ${file} is not keeping up; dropping lines until it does\n`);
      dropped++;
      return;
    }
    if (dropped > 0) {
      process.stderr.write(`quire: ${file} caught up; ${dropped} lines were dropped\n`);
      dropped = 0;
    }
    pending += line;
    if (pending.length >= FLUSH_BYTES) flush();
    else timer ??= setTimeout(flush, FLUSH_MS);
  }) as LineLog;
  log.queuedBytes = queuedBytes;
  log.whenWritable = () => {
    if (queuedBytes() <= BEHIND_BYTES || stream.destroyed) return undefined;
    if (!caughtUp) {
      let resolve!: () => void;
      const promise = new Promise<void>((r) => { resolve = r; });
      // The wait ends by itself: the next writer that finds the queue still full waits again.
      const waited = setTimeout(() => { caughtUp = undefined; resolve(); }, MAX_WAIT_MS);
      caughtUp = { promise, resolve, timer: waited };
    }
    return caughtUp.promise;
  };
  lineLogs.set(file, { log, flush });
  return log;
}

/** Deletes this writer's rotated files older than retainDays; other workers prune their own. */
export async function pruneRotated(opts: LogFileOptions, now = Date.now()): Promise<string[]> {
  const stem = currentLogName(opts.kind, opts.worker).slice(0, -'.log'.length);
  const pattern = new RegExp(`^${stem}-\\d{8}-\\d{6}-\\d+\\.log\\.gz$`);
  const cutoff = now - opts.retainDays * 86_400_000;
  const removed: string[] = [];
  for (const name of await fs.readdir(opts.dir)) {
    if (!pattern.test(name)) continue;
    const full = path.join(opts.dir, name);
    const stat = await fs.stat(full).catch(() => undefined);
    if (stat && stat.mtimeMs < cutoff) {
      await fs.unlink(full).catch(() => undefined);
      removed.push(name);
    }
  }
  return removed;
}

/** Flushes and closes the log files under dir (all when dir is omitted), waiting for any rotation in progress. */
export async function closeLogFiles(dir?: string): Promise<void> {
  const prefix = dir === undefined ? undefined : path.resolve(dir) + path.sep;
  const closing: Promise<void>[] = [];
  for (const [file, stream] of open) {
    if (prefix && !file.startsWith(prefix)) continue;
    lineLogs.get(file)?.flush(true);
    lineLogs.delete(file);
    open.delete(file);
    closing.push(new Promise<void>((resolve) => {
      if (stream.writableFinished || stream.destroyed) return resolve();
      stream.once('finish', resolve);
      stream.once('error', () => resolve());
      stream.end();
    }));
  }
  await Promise.all(closing);
}
