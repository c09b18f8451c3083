// Streams the lines of a plain or gzip-compressed file (detected by its magic bytes, not its
// name) in constant memory. Unlike readline, a "line" is capped in length, so a binary file
// without newlines cannot make it buffer gigabytes; overlong lines are counted and skipped.
// A truncated .gz (a rotation caught half way) yields what it holds, then reports the error.
import fs from 'node:fs';
import type { Readable } from 'node:stream';
import zlib from 'node:zlib';

export interface ReadResult {
  lines: number;
  overlong: number;
  /** Why reading stopped early (missing file, corrupt gzip…), if it did. */
  error?: string;
}

export const MAX_LINE_BYTES = 64 * 1024;

async function isGzip(file: string): Promise<boolean> {
  const handle = await fs.promises.open(file, 'r');
  try {
    const { buffer, bytesRead } = await handle.read(Buffer.alloc(2), 0, 2, 0);
    return bytesRead === 2 && buffer[0] === 0x1f && buffer[1] === 0x8b;
  } finally {
    await handle.close();
  }
}

export async function openLogStream(file: string): Promise<Readable> {
  const gz = await isGzip(file);
  const raw = fs.createReadStream(file, { highWaterMark: 1024 * 1024 });
  if (!gz) return raw;
  const gunzip = zlib.createGunzip({ chunkSize: 256 * 1024 });
  raw.on('error', (err) => gunzip.destroy(err));
  return raw.pipe(gunzip);
}

export async function forEachLine(file: string, onLine: (line: string) => void, maxLineBytes = MAX_LINE_BYTES): Promise<ReadResult> {
  const result: ReadResult = { lines: 0, overlong: 0 };
  let carry: Buffer | undefined;
  let skipping = false;
  const emit = (buf: Buffer, start: number, end: number) => {
    if (end > start && buf[end - 1] === 0x0d) end -= 1; // CRLF
    result.lines += 1;
    onLine(buf.toString('utf8', start, end));
  };
  try {
    for await (const chunk of await openLogStream(file)) {
      const buf = chunk as Buffer;
      let start = 0;
      let nl = buf.indexOf(0x0a);
      if (nl !== -1 && (carry || skipping)) {
        // The end of a line begun in an earlier chunk.
        if (skipping) result.overlong += 1;
        else emit(Buffer.concat([carry!, buf.subarray(0, nl)]), 0, carry!.length + nl);
        carry = undefined;
        skipping = false;
        start = nl + 1;
        nl = buf.indexOf(0x0a, start);
      }
      while (nl !== -1) {
        emit(buf, start, nl);
        start = nl + 1;
        nl = buf.indexOf(0x0a, start);
      }
      if (skipping || start === buf.length) continue;
      const rest = buf.subarray(start);
      const pending = (carry?.length ?? 0) + rest.length;
      if (pending > maxLineBytes) {
        skipping = true;
        carry = undefined;
      } else {
        carry = carry ? Buffer.concat([carry, rest]) : Buffer.from(rest);
      }
    }
  } catch (err) {
    result.error = (err as NodeJS.ErrnoException).code === 'ENOENT' ? 'no such file' : (err as Error).message;
  }
  if (skipping) result.overlong += 1;
  else if (carry) emit(carry, 0, carry.length);
  return result;
}
