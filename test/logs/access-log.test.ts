// When the app answers requests, then each one leaves exactly one combined-format line with the
// real client address, the final status and the time taken — errors and aborted requests included.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import fs from 'node:fs';
import http from 'node:http';
import path from 'node:path';
import Koa from 'koa';
import { accessLog, formatAccessLine } from '../../src/middleware/access-log.js';
import { errorHandler } from '../../src/middleware/error-handler.js';
import { requestId } from '../../src/middleware/request-id.js';
import { closeLogFiles } from '../../src/runtime/log-files.js';
import { createLogger } from '../../src/runtime/logger.js';
import { parseAccessLine } from '../../src/stats/access-line.js';
import { listenLocally, startTestServer } from '../../support/server.js';

test('when the app serves requests behind a trusted proxy, then access.log holds one parsable line each, with the client address', async () => {
  const server = await startTestServer('sqlite', { TRUST_PROXY: '127.0.0.1', ACCESS_LOG: 'file' });
  try {
    await (await fetch(`${server.url}/api/articles?limit=1`, { headers: { 'X-Forwarded-For': '203.0.113.9', Referer: 'https://example.com/"quoted"', 'User-Agent': 'TestAgent/1.0' } })).text();
    await (await fetch(`${server.url}/api/no-such-route`)).text();
    await closeLogFiles(server.deps.config.LOG_DIR);
    const lines = fs.readFileSync(path.join(server.deps.config.LOG_DIR, 'access.log'), 'utf8').trimEnd().split('\n');
    assert.equal(lines.length, 2);
    assert.match(lines[0]!, /^203\.0\.113\.9 - - \[\d{2}\/\w{3}\/\d{4}:\d{2}:\d{2}:\d{2} \+0000\] "GET \/api\/articles\?limit=1 HTTP\/1\.1" 200 \d+ "https:\/\/example\.com\/\\"quoted\\"" "TestAgent\/1\.0" \d+\.\d{3}$/);
    const first = parseAccessLine(lines[0]!)!;
    assert.equal(first.referrer, 'https://example.com/"quoted"');
    assert.equal(parseAccessLine(lines[1]!)!.status, 404);
  } finally {
    await server.close();
  }
});

test('when ACCESS_LOG=off, then no access log is written', async () => {
  const server = await startTestServer('sqlite', { ACCESS_LOG: 'off' });
  try {
    await (await fetch(`${server.url}/healthz`)).text();
    await closeLogFiles(server.deps.config.LOG_DIR);
    assert.equal(fs.existsSync(path.join(server.deps.config.LOG_DIR, 'access.log')), false);
  } finally {
    await server.close();
  }
});

test('when a handler throws or the client hangs up, then the line carries the final status (500, 499)', async () => {
  const lines: string[] = [];
  const app = new Koa();
  let hungUp!: () => void;
  const hangUpSeen = new Promise<void>((resolve) => { hungUp = resolve; });
  for (const layer of [requestId(), accessLog((line) => lines.push(line)), errorHandler({ logger: createLogger('silent') }), async (ctx: Koa.Context) => {
    if (ctx.path === '/boom') throw new Error('boom');
    ctx.req.once('close', () => hungUp());
    await hangUpSeen;
    ctx.body = 'too late';
  }]) app.use(layer as Koa.Middleware);
  const server = http.createServer(app.callback());
  const url = await listenLocally(server);
  try {
    assert.equal((await fetch(`${url}/boom`)).status, 500);
    const aborted = new AbortController();
    const pending = fetch(`${url}/slow`, { signal: aborted.signal }).catch(() => undefined);
    while (lines.length < 1) await new Promise((r) => setImmediate(r));
    setTimeout(() => aborted.abort(), 50);
    await pending;
    await hangUpSeen;
    while (lines.length < 2) await new Promise((r) => setImmediate(r));
    assert.equal(parseAccessLine(lines[0]!.trimEnd())!.status, 500);
    assert.equal(parseAccessLine(lines[1]!.trimEnd())!.status, 499);
    assert.equal(lines.length, 2);
  } finally {
    server.closeAllConnections();
    await new Promise<void>((resolve) => server.close(() => resolve()));
  }
});

test('when a field holds quotes, backslashes or control bytes, then the line stays one line and reads back the same', () => {
  const line = formatAccessLine({
    ip: '::1', time: new Date(Date.UTC(2025, 0, 2, 3, 4, 5)), method: 'GET', url: '/a?b="c"', httpVersion: '1.1', status: 200,
    bytes: undefined, referrer: 'x\\y', userAgent: 'evil\n"agent"\u0007', durationMs: 1.5,
  });
  assert.equal(line.split('\n').length, 2);
  assert.equal(line, '::1 - - [02/Jan/2025:03:04:05 +0000] "GET /a?b=\\"c\\" HTTP/1.1" 200 - "x\\\\y" "evil\\x0a\\"agent\\"\\x07" 1.500\n');
  const back = parseAccessLine(line.trimEnd())!;
  assert.equal(back.userAgent, 'evil\n"agent"\u0007');
  assert.equal(back.referrer, 'x\\y');
  assert.equal(back.path, '/a');
});
