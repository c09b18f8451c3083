// The access log's writer: lines gathered into 64 KB chunks (or for at most 200 ms) reach the file
// whole and in order, in few writes; a lone line still arrives soon; lines written just before the
// file is closed are not lost.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import fs from 'node:fs';
import path from 'node:path';
import { withTempDir } from '../../support/temp-dir.js';
import { closeLogFiles, openLineLog, openLogFile, type LogFileOptions } from '../../src/runtime/log-files.js';

const options = (dir: string): LogFileOptions => ({ dir, kind: 'access', rotateBytes: 0, interval: 'off', retainDays: 1 });

test('when 20 000 lines are logged in bursts, then the file holds each once, in order, from a few 64 KB writes', () => withTempDir('quire-linelog-', async (dir) => {
  const log = openLineLog(options(dir));
  const stream = openLogFile(options(dir)); // the same stream the line log writes to
  let writes = 0;
  const write = stream.write.bind(stream);
  stream.write = ((...args: Parameters<typeof stream.write>) => { writes++; return write(...args); }) as typeof stream.write;
  for (let burst = 0; burst < 20; burst++) {
    for (let i = 0; i < 1000; i++) log(`line ${burst * 1000 + i}\n`);
    await new Promise((r) => setImmediate(r));
  }
  log('written just before close\n');
  await closeLogFiles(dir);
  const lines = fs.readFileSync(path.join(dir, 'access.log'), 'utf8').split('\n').filter(Boolean);
  assert.equal(lines.length, 20_001);
  assert.deepEqual(lines.slice(0, 20_000), Array.from({ length: 20_000 }, (_, i) => `line ${i}`));
  assert.equal(lines.at(-1), 'written just before close');
  // ~220 KB of lines: three full chunks and the rest at close, not one write per line or per turn.
  assert.ok(writes <= 5, `written in 64 KB chunks (${writes} writes)`);
}));

test('when a single line is logged on a quiet server, then it reaches the file within a second, with no close', () => withTempDir('quire-linelog-', async (dir) => {
  const log = openLineLog(options(dir));
  log('a lone line\n');
  const file = path.join(dir, 'access.log');
  let text = '';
  for (let i = 0; i < 50 && text === ''; i++) {
    await new Promise((r) => setTimeout(r, 20));
    text = fs.existsSync(file) ? fs.readFileSync(file, 'utf8') : '';
  }
  assert.equal(text, 'a lone line\n');
  await closeLogFiles(dir);
}));

test('when lines come faster than a slow disk takes them, then the writer is told to wait, the queue stays bounded and every line arrives in order', () => withTempDir('quire-linelog-', async (dir) => {
  const log = openLineLog(options(dir));
  const stream = openLogFile(options(dir));
  // A disk that takes 5 ms for every write it is handed, however large.
  const slow = <A extends unknown[]>(write: (...args: A) => void) => (...args: A) => void setTimeout(() => write(...args), 5);
  const internals = stream as unknown as { _write: (...a: unknown[]) => void; _writev: (...a: unknown[]) => void };
  internals._write = slow(internals._write.bind(stream));
  internals._writev = slow(internals._writev.bind(stream));
  const filler = 'z'.repeat(1000);
  let most = 0;
  for (let burst = 0; burst < 400; burst++) {
    await log.whenWritable?.();
    for (let i = 0; i < 100; i++) log(`${burst * 100 + i} ${filler}\n`);
    most = Math.max(most, log.queuedBytes?.() ?? stream.writableLength);
    await new Promise((r) => setImmediate(r));
  }
  await closeLogFiles(dir);
  const lines = fs.readFileSync(path.join(dir, 'access.log'), 'utf8').split('\n').filter(Boolean);
  assert.equal(lines.length, 40_000, 'no line dropped');
  assert.ok(lines.every((line, i) => line.startsWith(`${i} `)), 'in order');
  // ~40 MB went through: held to the writer's 8 MB bound plus a burst, not all of it at once.
  assert.ok(most <= 8.5 * 1024 * 1024, `at most ${(most / 1048576).toFixed(1)} MB queued`);
}));
