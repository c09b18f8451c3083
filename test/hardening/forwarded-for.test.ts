// Behind trusted proxies the client is the rightmost X-Forwarded-For address that is not one of them:
// everything left of it was written by the client and proves nothing. Koa's ctx.ip (the access log's
// address for requests through the onion, and the rate limits' key) and the early cache hits agree.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import fs from 'node:fs';
import type { IncomingMessage } from 'node:http';
import path from 'node:path';
import { clientIp, proxyCheck } from '../../src/middleware/forwarded.js';
import { closeLogFiles } from '../../src/runtime/log-files.js';
import { parseAccessLine } from '../../src/stats/access-line.js';
import { rawRequest } from '../../support/client.js';
import { startTestServer } from '../../support/server.js';

const TRUSTED = ['127.0.0.1', '10.0.0.0/8', 'fd00::/8'];

function request(peer: string, forwardedFor?: string): IncomingMessage {
  return { headers: forwardedFor === undefined ? {} : { 'x-forwarded-for': forwardedFor }, socket: { remoteAddress: peer } } as unknown as IncomingMessage;
}

test('when X-Forwarded-For holds a chain, then the client is the rightmost address that is not a trusted proxy', () => {
  const isProxy = proxyCheck(TRUSTED);
  const cases: [peer: string, header: string | undefined, client: string][] = [
    ['127.0.0.1', '198.51.100.1, 203.0.113.7, 10.0.0.5', '203.0.113.7'], // spoofed, real client, proxy1
    ['127.0.0.1', '203.0.113.7', '203.0.113.7'],
    ['::ffff:127.0.0.1', '198.51.100.1,203.0.113.7', '203.0.113.7'],
    ['127.0.0.1', '198.51.100.1, 203.0.113.7, 10.1.2.3, 10.0.0.5', '203.0.113.7'], // two trusted hops
    ['127.0.0.1', '10.0.0.9, 10.0.0.5', '10.0.0.9'], // every hop trusted: the farthest one
    ['127.0.0.1', '2001:db8::1, fd00::5', '2001:db8::1'],
    ['127.0.0.1', 'not-an-address, 10.0.0.5', '10.0.0.5'], // a broken chain: the last hop known
    ['127.0.0.1', '', '127.0.0.1'],
    ['127.0.0.1', undefined, '127.0.0.1'],
    ['198.51.100.2', '203.0.113.7, 10.0.0.5', '198.51.100.2'], // an untrusted peer's header is ignored
  ];
  for (const [peer, header, client] of cases) assert.equal(clientIp(request(peer, header), isProxy), client, `${peer} / ${header}`);
  // Nothing trusted: the peer, whatever the header says.
  assert.equal(clientIp(request('127.0.0.1', '203.0.113.7'), proxyCheck([])), '127.0.0.1');
});

test('when requests come through trusted proxies with a spoofed first address, then every access-log line, cached hit or not, names the real client', async () => {
  const logDir = fs.mkdtempSync(path.join(process.env.TMPDIR ?? '/tmp', 'quire-xff-'));
  const server = await startTestServer('sqlite', { TRUST_PROXY: TRUSTED.join(','), ACCESS_LOG: 'file', LOG_DIR: logDir });
  try {
    const chain = '198.51.100.1, 203.0.113.7, 10.0.0.5';
    // Through the onion (API, and the first page view), then the page again from the cache's early hits.
    for (const url of ['/api/articles?limit=1', '/api/no-such-route', '/', '/', '/']) {
      const res = await rawRequest(`${server.url}${url}`, { headers: { 'x-forwarded-for': chain } });
      assert.ok(res.status < 500, `${url}: ${res.status}`);
    }
    const hit = await rawRequest(`${server.url}/`, { headers: { 'x-forwarded-for': chain } });
    assert.equal(hit.headers['x-cache'], 'HIT', 'the last view was answered by the early hits');
    await closeLogFiles(logDir);
    const lines = fs.readFileSync(path.join(logDir, 'access.log'), 'utf8').trimEnd().split('\n');
    assert.equal(lines.length, 6);
    assert.deepEqual(lines.map((line) => parseAccessLine(line)?.ip), Array(6).fill('203.0.113.7'));
  } finally {
    await server.close();
    fs.rmSync(logDir, { recursive: true, force: true });
  }
});
