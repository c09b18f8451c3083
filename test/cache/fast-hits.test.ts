// Hits answered ahead of Koa (src/cache/fast-hits.ts) must be indistinguishable from the onion's
// own answer: the same headers, a fresh request id, 304 on a matching ETag, gzip only when accepted,
// no body for HEAD, and an access-log line like any other request. Raw node:http, so every header
// and byte is what the server sent.
import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import fs from 'node:fs';
import type http from 'node:http';
import path from 'node:path';
import { brotliDecompressSync, gunzipSync } from 'node:zlib';
import { apiClient, rawRequest } from '../../support/client.js';
import { startTestServer, type TestServer } from '../../support/server.js';

const get = (url: string, headers: Record<string, string> = {}, method = 'GET') => rawRequest(url, { headers, method });

// Per request or per representation: everything else must be the same on a miss and on a hit.
const perRequest = new Set(['date', 'x-request-id', 'x-cache', 'connection', 'keep-alive', 'content-length', 'content-encoding']);
const stable = (h: http.IncomingHttpHeaders) => Object.fromEntries(Object.entries(h).filter(([name]) => !perRequest.has(name)));

let server: TestServer;
before(async () => {
  server = await startTestServer('sqlite');
  const api = apiClient(server.url);
  const { token } = await api.register('fasthits');
  const long = 'A paragraph long enough to be worth compressing. '.repeat(60);
  await api.post('/articles', { article: { title: 'Fast hits', description: 'd', body: long, tagList: ['speed'] } }, token);
});
after(() => server?.close());

for (const address of ['/', '/article/fast-hits', '/api/articles', '/api/tags']) {
  test(`when ${address} is read again, then the hit carries the miss's headers, its own request id and the same bytes`, async () => {
    const miss = await get(`${server.url}${address}`, { accept: 'text/html,application/json' });
    const hit = await get(`${server.url}${address}`, { accept: 'text/html,application/json' });
    const again = await get(`${server.url}${address}`, { accept: 'text/html,application/json' });
    assert.equal(miss.status, 200);
    assert.equal(miss.headers['x-cache'], 'MISS');
    for (const res of [hit, again]) {
      assert.equal(res.status, 200);
      assert.equal(res.headers['x-cache'], 'HIT');
      assert.deepEqual(stable(res.headers), stable(miss.headers));
      assert.equal(res.headers['content-length'], String(miss.body.length));
      assert.ok(res.body.equals(miss.body), 'same bytes');
    }
    assert.notEqual(hit.headers['x-request-id'], miss.headers['x-request-id']);
    assert.notEqual(again.headers['x-request-id'], hit.headers['x-request-id']);
  });
}

test('when a hit is asked for with the ETag it has, then the answer is 304 with no body', async () => {
  const first = await get(`${server.url}/api/articles`);
  await get(`${server.url}/api/articles`);
  const conditional = await get(`${server.url}/api/articles`, { 'if-none-match': String(first.headers.etag) });
  assert.equal(conditional.status, 304);
  assert.equal(conditional.body.length, 0);
  assert.equal(conditional.headers.etag, first.headers.etag);
  const other = await get(`${server.url}/api/articles`, { 'if-none-match': '"something-else"' });
  assert.equal(other.status, 200);
});

test('when a client takes gzip, then a hit is gzipped; when it refuses it or asks with HEAD, then it is not', async () => {
  const identity = await get(`${server.url}/article/fast-hits`);
  await get(`${server.url}/article/fast-hits`);
  const gzip = await get(`${server.url}/article/fast-hits`, { 'accept-encoding': 'gzip, deflate' });
  assert.equal(gzip.headers['x-cache'], 'HIT');
  assert.equal(gzip.headers['content-encoding'], 'gzip');
  assert.equal(gzip.headers.vary, 'Accept-Encoding');
  assert.equal(Number(gzip.headers['content-length']), gzip.body.length);
  assert.ok(gzip.body.length < identity.body.length);
  assert.ok(gunzipSync(gzip.body).equals(identity.body), 'gunzipped hit is the page');

  const refused = await get(`${server.url}/article/fast-hits`, { 'accept-encoding': 'gzip;q=0, identity' });
  assert.equal(refused.headers['content-encoding'], undefined);
  assert.ok(refused.body.equals(identity.body));

  const head = await get(`${server.url}/article/fast-hits`, { 'accept-encoding': 'gzip' }, 'HEAD');
  assert.equal(head.status, 200);
  assert.equal(head.headers['x-cache'], 'HIT');
  assert.equal(head.headers['content-encoding'], undefined);
  assert.equal(head.headers['content-length'], String(identity.body.length));
  assert.equal(head.body.length, 0);
});

test('when a client prefers identity to gzip, then a hit is not gzipped, as koa-compress would decide', async () => {
  const identity = await get(`${server.url}/article/fast-hits`);
  for (const acceptEncoding of ['identity, gzip;q=0.5', 'gzip;q=0.5, identity;q=0.9', 'br;q=0.5, identity']) {
    const hit = await get(`${server.url}/article/fast-hits`, { 'accept-encoding': acceptEncoding });
    assert.equal(hit.headers['x-cache'], 'HIT');
    assert.equal(hit.headers['content-encoding'], undefined, acceptEncoding);
    assert.ok(hit.body.equals(identity.body), acceptEncoding);
  }
});

test('when a browser takes brotli, then hits go out gzipped until the brotli copy is made, then in brotli; others keep gzip', async () => {
  const url = `${server.url}/api/articles/fast-hits`;
  const identity = await get(url);
  const browser = { 'accept-encoding': 'gzip, deflate, br, zstd' };
  const first = await get(url, browser);
  assert.equal(first.headers['x-cache'], 'HIT');
  assert.equal(first.headers['content-encoding'], 'gzip', 'the first hit asks for the copy and is not kept waiting');
  let hit = first;
  for (let i = 0; i < 100 && hit.headers['content-encoding'] !== 'br'; i++) {
    await new Promise((r) => setTimeout(r, 20));
    hit = await get(url, browser);
  }
  assert.equal(hit.headers['content-encoding'], 'br');
  assert.equal(hit.headers['x-cache'], 'HIT');
  assert.match(String(hit.headers.vary), /\bAccept-Encoding\b/);
  assert.equal(hit.headers.etag, identity.headers.etag);
  assert.equal(Number(hit.headers['content-length']), hit.body.length);
  assert.ok(hit.body.length < first.body.length, `brotli ${hit.body.length} bytes, gzip ${first.body.length}`);
  assert.ok(brotliDecompressSync(hit.body).equals(identity.body), 'the brotli hit is the same body');
  for (const acceptEncoding of ['gzip, br;q=0.5', 'gzip, deflate', 'br;q=0, gzip']) {
    const other = await get(url, { 'accept-encoding': acceptEncoding });
    assert.equal(other.headers['content-encoding'], 'gzip', acceptEncoding);
  }
  const head = await get(url, browser, 'HEAD');
  assert.equal(head.headers['content-encoding'], undefined);
  assert.equal(head.headers['content-length'], String(identity.body.length));
});

test('when hits are served, then each is in the access log with its status and size', async () => {
  const miss = await get(`${server.url}/tag/speed?logged=1`);
  const hit = await get(`${server.url}/tag/speed?logged=1`);
  assert.equal(hit.headers['x-cache'], 'HIT');
  const log = path.join(server.dataDir, 'logs', 'access.log');
  let lines: string[] = [];
  for (let i = 0; i < 50 && lines.length < 2; i++) {
    await new Promise((r) => setTimeout(r, 20));
    lines = fs.existsSync(log) ? fs.readFileSync(log, 'utf8').split('\n').filter((l) => l.includes('"GET /tag/speed?logged=1 HTTP/1.1"')) : [];
  }
  assert.equal(lines.length, 2, 'one line for the miss, one for the hit');
  for (const line of lines) assert.match(line, new RegExp(` 200 ${miss.body.length} `));
});

test('when a page is written to, then the next read is not answered from the old copy', async () => {
  const api = apiClient(server.url);
  const { token } = await api.register('fastwriter');
  await get(`${server.url}/api/tags`);
  const before = await get(`${server.url}/api/tags`);
  assert.equal(before.headers['x-cache'], 'HIT');
  await api.post('/articles', { article: { title: 'New tag', description: 'd', body: 'b', tagList: ['brandnew'] } }, token);
  const after = await get(`${server.url}/api/tags`);
  assert.equal(after.headers['x-cache'], 'MISS');
  assert.ok(after.body.toString().includes('brandnew'));
});

test('behind a trusted proxy, then a hit keeps the proxy\'s request id and X-Forwarded-Host selects its own entry', async () => {
  const proxied = await startTestServer('sqlite', { TRUST_PROXY: '127.0.0.1' });
  try {
    const a = { 'x-forwarded-host': 'blog.example', 'x-forwarded-proto': 'https' };
    await get(`${proxied.url}/feed.xml`, a);
    const hit = await get(`${proxied.url}/feed.xml`, { ...a, 'x-request-id': 'nginx-abc123' });
    assert.equal(hit.headers['x-cache'], 'HIT');
    assert.equal(hit.headers['x-request-id'], 'nginx-abc123');
    assert.match(hit.body.toString(), /https:\/\/blog\.example\//);
    const other = await get(`${proxied.url}/feed.xml`, { 'x-forwarded-host': 'other.example', 'x-forwarded-proto': 'https' });
    assert.equal(other.headers['x-cache'], 'MISS');
    assert.doesNotMatch(other.body.toString(), /blog\.example/);
  } finally {
    await proxied.close();
  }
});

test('from an untrusted peer, then X-Forwarded-* and X-Request-Id do not reach a hit', async () => {
  await get(`${server.url}/feed.xml`);
  const forged = await get(`${server.url}/feed.xml`, { 'x-forwarded-host': 'evil.example', 'x-request-id': 'forged-id' });
  assert.equal(forged.headers['x-cache'], 'HIT');
  assert.notEqual(forged.headers['x-request-id'], 'forged-id');
  assert.doesNotMatch(forged.body.toString(), /evil\.example/);
});
