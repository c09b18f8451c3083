// The response cache cannot be poisoned or flushed by strangers: the host is part of every key, and
// anonymous writes (which cannot change content) leave the shared write generation alone.
import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { apiClient, rawRequest } from '../../support/client.js';
import { startTestServer, type TestServer } from '../../support/server.js';
import { generationStore } from '../../src/cache/generation.js';

let server: TestServer;
before(async () => {
  server = await startTestServer('sqlite');
  const api = apiClient(server.url);
  const { token } = await api.register('feedwriter');
  await api.post('/articles', { article: { title: 'Feed item', description: 'd', body: 'b' } }, token);
});
after(() => server?.close());

async function getWithHost(path: string, host: string): Promise<{ status: number; cache: string | undefined; body: string }> {
  const res = await rawRequest(`${server.url}${path}`, { headers: { host } });
  return { status: res.status, cache: res.headers['x-cache'] as string | undefined, body: res.body.toString('utf8') };
}

test('when someone fetches the feed with a forged Host, then readers of the real host never get its links', async () => {
  for (const path of ['/feed.xml', '/sitemap.xml']) {
    const forged = await getWithHost(path, 'evil.example');
    assert.equal(forged.status, 200);
    assert.match(forged.body, /evil\.example/);
    const real = await getWithHost(path, 'blog.example');
    assert.equal(real.status, 200);
    assert.doesNotMatch(real.body, /evil\.example/, `${path} for blog.example`);
    assert.match(real.body, /blog\.example/);
    assert.equal((await getWithHost(path, 'blog.example')).cache, 'HIT', 'each host still gets its own cached copy');
  }
});

function generation(): Promise<string> {
  return generationStore(server.deps).read();
}

test('when anonymous clients post junk, then the write generation does not move and cached pages stay hits', async () => {
  await fetch(`${server.url}/api/articles`);
  assert.equal((await fetch(`${server.url}/api/articles`)).headers.get('x-cache'), 'HIT');
  const before = await generation();
  for (const path of ['/x', '/api/articles', '/api/users/login', '/editor']) {
    const res = await fetch(`${server.url}${path}`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: '{}' });
    assert.ok(res.status >= 400 && res.status < 500, `${path}: ${res.status}`);
  }
  assert.equal(await generation(), before);
  assert.equal((await fetch(`${server.url}/api/articles`)).headers.get('x-cache'), 'HIT');
});
