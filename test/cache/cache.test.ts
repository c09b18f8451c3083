// The response cache's rules: only anonymous GETs, ETag and 304 on hits, nothing that sets a
// cookie, CACHE=off turns it off, the LRU stays under its byte cap, and hits served inside Koa go
// out in brotli once the copy is made, as the hits answered ahead of it do.
import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { ResponseLru, entityTag, type CachedResponse } from '../../src/cache/lru.js';
import { coalesceReads } from '../../src/cache/generation.js';
import { brotliDecompressSync } from 'node:zlib';
import { apiClient, rawRequest } from '../../support/client.js';
import { startTestServer, type TestServer } from '../../support/server.js';

let server: TestServer;

// fetch adds "Cache-Control: no-cache" to conditional requests unless one is given, and no-cache forbids a 304.
const revalidate = (res: Response) => ({ 'if-none-match': res.headers.get('etag')!, 'cache-control': 'max-age=0' });
let token: string;

before(async () => {
  server = await startTestServer('sqlite');
  const api = apiClient(server.url);
  token = (await api.register('cacheuser')).token;
  await api.post('/articles', { article: { title: 'Cached', description: 'd', body: 'b', tagList: ['x'] } }, token);
});
after(() => server?.close());

test('when an anonymous reader asks twice, then the second answer is a hit with the same ETag, and If-None-Match gets a 304', async () => {
  const first = await fetch(`${server.url}/api/articles`);
  const body = await first.text();
  const second = await fetch(`${server.url}/api/articles`);
  assert.equal(first.headers.get('x-cache'), 'MISS');
  assert.equal(second.headers.get('x-cache'), 'HIT');
  assert.equal(await second.text(), body);
  assert.equal(second.headers.get('etag'), first.headers.get('etag'));
  assert.equal(second.headers.get('content-type'), 'application/json; charset=utf-8');
  assert.equal(second.headers.get('access-control-allow-origin'), '*');
  const conditional = await fetch(`${server.url}/api/articles`, { headers: revalidate(first) });
  assert.equal(conditional.status, 304);
});

test('when a reader is signed in or sends a cookie, then the cache is not used', async () => {
  const credentials: Record<string, string>[] = [{ authorization: `Token ${token}` }, { cookie: 'anything=1' }];
  for (const headers of credentials) {
    for (let i = 0; i < 2; i++) {
      const res = await fetch(`${server.url}/api/articles`, { headers });
      await res.arrayBuffer();
      assert.equal(res.headers.get('x-cache'), null);
    }
  }
});

test('when a signed-in reader favourites, then the anonymous count changes at once', async () => {
  const api = apiClient(server.url);
  assert.equal((await api.get('/articles')).body.articles[0].favoritesCount, 0);
  await api.post('/articles/cached/favorite', undefined, token);
  assert.equal((await api.get('/articles')).body.articles[0].favoritesCount, 1);
});

test('when CACHE=off, then nothing is cached but ETags still answer 304', async () => {
  const off = await startTestServer('sqlite', { CACHE: 'off' });
  try {
    const a = await fetch(`${off.url}/api/articles`);
    await a.arrayBuffer();
    const b = await fetch(`${off.url}/api/articles`, { headers: revalidate(a) });
    assert.equal(a.headers.get('x-cache'), null);
    assert.equal(b.status, 304);
  } finally {
    await off.close();
  }
});

// These two count the fixed per-entry overhead as 0, so entries of a few hundred bytes show the rules;
// what an entry costs beyond its bytes has tests of its own (src/cache/lru.test.ts).
const plain = (n: number): CachedResponse => ({ generation: '1', type: 'text/plain', headers: {}, body: Buffer.alloc(n), etag: entityTag(Buffer.alloc(n)) });
/** What an entry of n body bytes costs under key (its key, type, ETag and body), as the LRU counts it. */
const cost = (key: string, n = 1000) => new ResponseLru({ maxBytes: Infinity, entryOverhead: 0 }).bytesOf(key, plain(n));

test('when the LRU goes over its byte cap, then the least recently used entries leave first', () => {
  const lru = new ResponseLru({ maxBytes: 10_000, entryOverhead: 0 });
  const entry = plain;
  lru.set('a', entry(1000));
  lru.set('b', entry(1000));
  for (let i = 0; i < 9; i++) { lru.get('a'); lru.set(`c${i}`, entry(1000)); }
  assert.ok(lru.totalBytes <= 10_000);
  assert.ok(lru.get('a'), 'recently used entry kept');
  assert.equal(lru.get('b'), undefined, 'least recently used entry evicted');
  lru.set('huge', entry(5000));
  assert.equal(lru.get('huge'), undefined, 'an entry over an eighth of the cap is not stored');
});

test('when a brotli copy arrives, then only the entry still held gets it, and it counts against the cap', () => {
  const others = Array.from({ length: 18 }, (_, i) => `other${i}`);
  const full = cost('page') + 500 + others.reduce((sum, key) => sum + cost(key), 0);
  const lru = new ResponseLru({ maxBytes: full + 50, entryOverhead: 0 });
  const entry = plain;
  const old = entry(1000);
  lru.set('page', old);
  const rendered = entry(1000);
  lru.set('page', rendered); // a newer render replaced it while its copy was being made
  assert.equal(lru.addBrotli('page', old, Buffer.alloc(500)), false);
  assert.equal(old.br, undefined);
  assert.equal(lru.addBrotli('gone', entry(1000), Buffer.alloc(500)), false);
  assert.equal(lru.totalBytes, cost('page'));
  assert.equal(lru.addBrotli('page', rendered, Buffer.alloc(500)), true);
  assert.equal(lru.totalBytes, cost('page') + 500);
  assert.equal(lru.addBrotli('page', rendered, Buffer.alloc(500)), false, 'one copy per entry');
  for (const key of others) lru.set(key, entry(1000));
  assert.equal(lru.totalBytes, full);
  assert.equal(lru.addBrotli('other16', lru.get('other16')!, Buffer.alloc(2000)), false, 'an entry may not grow past an eighth of the cap');
  assert.equal(lru.addBrotli('other17', lru.get('other17')!, Buffer.alloc(1000)), true);
  assert.equal(lru.get('page'), undefined, 'the oldest entry made room');
  assert.equal(lru.totalBytes, full - cost('page') - 500 + 1000);
  lru.set('other17', entry(1000)); // a new render replaces the entry and its copy
  assert.equal(lru.totalBytes, full - cost('page') - 500);
  lru.delete('other16');
  assert.equal(lru.totalBytes, full - cost('page') - 500 - cost('other16'));
});

test('when SERVER_TIMING sends every hit through Koa, then a browser still gets brotli once the copy is made', async () => {
  const timed = await startTestServer('sqlite', { SERVER_TIMING: '1' });
  try {
    const url = `${timed.url}/`;
    const identity = await rawRequest(url);
    assert.equal(identity.status, 200);
    const browser = { 'accept-encoding': 'gzip, deflate, br, zstd' };
    let hit = await rawRequest(url, { headers: browser });
    assert.equal(hit.headers['x-cache'], 'HIT');
    assert.ok(hit.headers['server-timing'], 'answered inside Koa');
    for (let i = 0; i < 100 && hit.headers['content-encoding'] !== 'br'; i++) {
      await new Promise((r) => setTimeout(r, 20));
      hit = await rawRequest(url, { headers: browser });
    }
    assert.equal(hit.headers['content-encoding'], 'br');
    assert.equal(Number(hit.headers['content-length']), hit.body.length);
    assert.ok(brotliDecompressSync(hit.body).equals(identity.body));
    const gzip = await rawRequest(url, { headers: { 'accept-encoding': 'gzip' } });
    assert.equal(gzip.headers['content-encoding'], 'gzip');
  } finally {
    await timed.close();
  }
});

test('when reads overlap, then a caller never gets a read that began before it called', async () => {
  let value = 0;
  const pending: (() => void)[] = [];
  const read = coalesceReads(() => new Promise<string>((resolve) => { const v = String(value); pending.push(() => resolve(v)); }));
  const early = read();
  value = 1; // a write lands after the first read began
  const late = [read(), read()];
  pending.shift()!();
  assert.equal(await early, '0');
  await new Promise((r) => setImmediate(r));
  assert.equal(pending.length, 1, 'the two late callers share one new read');
  pending.shift()!();
  assert.deepEqual(await Promise.all(late), ['1', '1']);
});
