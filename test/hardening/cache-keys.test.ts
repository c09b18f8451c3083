// The response cache keys each cached route by the parameters it reads: reordered and unknown
// parameters, and values the route reads alike, share one entry; different meaningful values get
// their own; and a page is rendered from its key's parameters, so no URL's junk reaches another's answer.
import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { randomBytes } from 'node:crypto';
import { apiClient } from '../../support/client.js';
import { startTestServer, type TestServer } from '../../support/server.js';
import { PER_PAGE } from '../../src/site/article.pages.js';

let server: TestServer;

before(async () => {
  server = await startTestServer('sqlite');
  const api = apiClient(server.url);
  const { token } = await api.register(`keys${randomBytes(3).toString('hex')}`);
  // One page and a bit of articles tagged "keys", so the tag page has a pager.
  for (let i = 0; i <= PER_PAGE; i++) {
    const res = await api.post('/articles', { article: { title: `Keyed ${i}`, description: 'd', body: 'b', tagList: ['keys', i % 2 ? 'odd' : 'even'] } }, token);
    assert.equal(res.status, 201);
  }
});
after(() => server?.close());

async function get(path: string): Promise<{ status: number; cache: string | null; body: string }> {
  const res = await fetch(`${server.url}${path}`);
  return { status: res.status, cache: res.headers.get('x-cache'), body: await res.text() };
}

test('when parameters come reordered, with unknown ones or written another way, then one entry answers them all', async () => {
  const groups = [
    ['/api/articles?tag=odd&limit=5', '/api/articles?limit=5&tag=odd', '/api/articles?utm_source=x&limit=005&tag=odd&offset=0', '/api/articles?tag=odd&limit=5&limit_=9'],
    ['/tag/keys?page=2', '/tag/keys?page=02&ref=1', '/tag/keys?x=1&page=2.0'],
    ['/?fbclid=1', '/', '/?page=1', '/?page=junk', '/?page=0'],
  ];
  for (const [first, ...rest] of groups) {
    const miss = await get(first!);
    assert.equal(miss.status, 200, first);
    for (const path of rest) {
      const hit = await get(path);
      assert.equal(hit.cache, 'HIT', `${path} shares ${first}'s entry`);
      assert.equal(hit.body, miss.body, path);
    }
  }
});

test('when a meaningful value differs, then each gets its own entry and its own answer', async () => {
  const odd = await get('/api/articles?tag=odd&limit=3');
  const even = await get('/api/articles?tag=even&limit=3');
  assert.notEqual(even.cache, 'HIT');
  assert.notEqual(odd.body, even.body);
  const fewer = await get('/api/articles?tag=odd&limit=2');
  assert.notEqual(fewer.cache, 'HIT');
  assert.equal(JSON.parse(fewer.body).articles.length, 2);
  const first = await get('/tag/keys');
  const second = await get('/tag/keys?page=2');
  assert.notEqual(first.body, second.body);
  assert.match(second.body, /Keyed 0\b/, 'page 2 holds the oldest');
});

test('when a page is first read with junk parameters, then the cached answer carries none of them to other readers', async () => {
  const junk = `junk${randomBytes(4).toString('hex')}`;
  const first = await get(`/tag/keys?${junk}=1&feed=${junk}`);
  assert.equal(first.status, 200);
  assert.doesNotMatch(first.body, new RegExp(junk), 'the pager links are built from the parameters the page reads');
  const clean = await get('/tag/keys');
  assert.equal(clean.cache, 'HIT');
  assert.doesNotMatch(clean.body, new RegExp(junk));
});

test('when a parameter the route refuses is sent, then it is still refused, and nothing is kept for it', async () => {
  for (const path of ['/api/articles?limit=abc', '/api/articles?limit=1&limit=2', '/api/articles?offset=-1']) {
    assert.equal((await get(path)).status, 422, path);
    assert.equal((await get(path)).status, 422, `${path} again`);
  }
});
