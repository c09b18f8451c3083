// A flood of requests with long URLs, referrers and agents: the access log keeps exactly one line
// per request, none dropped, and each line is cut to a bounded length that still reads back.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import fs from 'node:fs';
import http from 'node:http';
import os from 'node:os';
import path from 'node:path';
import zlib from 'node:zlib';
import { closeLogFiles, logFileOptions, openLineLog } from '../../src/runtime/log-files.js';
import { parseAccessLine } from '../../src/stats/access-line.js';
import { rawRequest } from '../../support/client.js';
import { startTestServer } from '../../support/server.js';

const REQUESTS = 10_000;
const CONNECTIONS = 100;

/** Every line of every access log in dir, rotated (.gz) or current. */
function readLines(dir: string): string[] {
  return fs.readdirSync(dir).flatMap((name) => {
    const raw = fs.readFileSync(path.join(dir, name));
    return (name.endsWith('.gz') ? zlib.gunzipSync(raw) : raw).toString('utf8').split('\n').filter(Boolean);
  });
}

test(`when ${REQUESTS} requests with 8 KB URLs arrive on ${CONNECTIONS} connections at once, then the log holds exactly one bounded line for each`, { timeout: 120_000 }, async () => {
  const logDir = fs.mkdtempSync(path.join(os.tmpdir(), 'quire-flood-'));
  // Rotating every 4 MB, as a busy site does: each rotation holds writes back while it renames and gzips.
  const server = await startTestServer('sqlite', { ACCESS_LOG: 'file', LOG_DIR: logDir, LOG_ROTATE_SIZE: '4mb' });
  const agent = new http.Agent({ keepAlive: true, maxSockets: CONNECTIONS });
  try {
    const long = 'x'.repeat(8 * 1024);
    const headers = { referer: `https://example.com/${'r'.repeat(4096)}`, 'user-agent': `Flood/1.0 ${'u'.repeat(2048)}` };
    let next = 0;
    await Promise.all(Array.from({ length: CONNECTIONS }, async () => {
      while (next < REQUESTS) {
        const i = next++;
        await new Promise<void>((resolve, reject) => {
          http.get(`${server.url}/api/flood/${i}/${long}`, { agent, headers }, (res) => res.resume().on('end', resolve)).on('error', reject);
        });
      }
    }));
    await closeLogFiles(logDir);
    const lines = readLines(logDir);
    assert.equal(lines.length, REQUESTS, 'one line per request, none dropped');
    const seen = new Set<number>();
    for (const line of lines) {
      assert.ok(Buffer.byteLength(line) < 4096, `a line of ${Buffer.byteLength(line)} bytes`);
      const record = parseAccessLine(line);
      assert.ok(record, `reads back: ${line.slice(0, 120)}`);
      assert.equal(record.status, 404);
      assert.ok(record.path.endsWith('...'), 'the cut URL says so');
      assert.ok(record.referrer.startsWith('https://example.com/rrr') && record.referrer.endsWith('...'));
      assert.ok(record.userAgent.startsWith('Flood/1.0 uuu') && record.userAgent.endsWith('...'));
      seen.add(Number(/^\/api\/flood\/(\d+)\//.exec(record.path)![1]));
    }
    assert.equal(seen.size, REQUESTS, 'each request has its own line');
  } finally {
    agent.destroy();
    await server.close();
    fs.rmSync(logDir, { recursive: true, force: true });
  }
});

test('when the access log is far behind, then a request the cache would answer early waits for it too, and is answered once it catches up', async () => {
  const logDir = fs.mkdtempSync(path.join(os.tmpdir(), 'quire-behind-'));
  const server = await startTestServer('sqlite', { ACCESS_LOG: 'file', LOG_DIR: logDir });
  try {
    assert.equal((await rawRequest(`${server.url}/`)).headers['x-cache'], 'MISS');
    assert.equal((await rawRequest(`${server.url}/`)).headers['x-cache'], 'HIT');
    // The server's own writer (one per file and process), made to report a backlog until released.
    const log = openLineLog(logFileOptions(server.deps.config, 'access'));
    const { whenWritable } = log;
    let release!: () => void;
    const caughtUp = new Promise<void>((resolve) => { release = resolve; });
    let asked!: () => void;
    const waiting = new Promise<'waiting'>((resolve) => { asked = () => resolve('waiting'); });
    log.whenWritable = () => { asked(); return caughtUp; };
    try {
      const answer = rawRequest(`${server.url}/`);
      assert.equal(await Promise.race([waiting, answer.then(() => 'answered')]), 'waiting', 'held back before it was answered');
      release();
      const res = await answer;
      assert.equal(res.status, 200);
    } finally {
      log.whenWritable = whenWritable;
    }
  } finally {
    await server.close();
    fs.rmSync(logDir, { recursive: true, force: true });
  }
});
