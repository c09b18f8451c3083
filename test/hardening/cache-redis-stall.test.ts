// Readers of cached pages wait on nothing Redis does: with MariaDB and Redis configured, a Redis
// that stops answering (connections open, no replies) leaves cached reads answered as promptly as
// before, still fresh, because the write generation is the database's (docs/decisions/19-cache-generation.md).
import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { randomBytes } from 'node:crypto';
import { performance } from 'node:perf_hooks';
import { apiClient } from '../../support/client.js';
import { startTestServer, type TestServer } from '../../support/server.js';
import { MYSQL_ADMIN_URL, needService, REDIS_TEST_URL } from '../../support/services.js';
import { startTcpProxy, type TcpProxy } from '../../support/tcp-proxy.js';

const skip = (await needService('MariaDB', MYSQL_ADMIN_URL)) ?? (await needService('Redis', REDIS_TEST_URL));
/** A behavioural bound, far above a hit's cost, far below any Redis timeout (docs/decisions/19-cache-generation.md). */
const PROMPT_MS = 300;
const cachedPaths = ['/', '/api/articles', '/api/tags', '/tag/stall'];

let server: TestServer;
let redis: TcpProxy;
let token: string;

before(async () => {
  if (skip) return;
  const target = new URL(REDIS_TEST_URL);
  redis = await startTcpProxy({ host: target.hostname, port: Number(target.port || 6379) });
  server = await startTestServer('mysql', { REDIS_URL: `redis://127.0.0.1:${redis.port}`, REDIS_PREFIX: `quire-test-${randomBytes(4).toString('hex')}:` });
  const api = apiClient(server.url);
  token = (await api.register(`stall${randomBytes(3).toString('hex')}`)).token;
  assert.equal((await api.post('/articles', { article: { title: 'Before the stall', description: 'd', body: 'b', tagList: ['stall'] } }, token)).status, 201);
});
after(async () => {
  redis?.up();
  await server?.close();
  await redis?.close();
});

async function timedGet(path: string): Promise<{ ms: number; status: number; cache: string | null; body: string }> {
  const started = performance.now();
  const res = await fetch(`${server.url}${path}`, { signal: AbortSignal.timeout(10_000) });
  const body = await res.text();
  return { ms: performance.now() - started, status: res.status, cache: res.headers.get('x-cache'), body };
}

test('when Redis stalls, then cached pages are still answered at once, from the cache', async (t) => {
  if (skip) return t.skip(skip);
  for (const path of cachedPaths) {
    await timedGet(path);
    assert.equal((await timedGet(path)).cache, 'HIT', `${path} is cached before the stall`);
  }
  redis.stall();
  try {
    for (let round = 0; round < 5; round++) {
      for (const path of cachedPaths) {
        const read = await timedGet(path);
        assert.equal(read.status, 200, path);
        assert.equal(read.cache, 'HIT', `${path}, round ${round}`);
        assert.ok(read.ms < PROMPT_MS, `${path}, round ${round}: ${read.ms.toFixed(1)} ms with Redis stalled`);
      }
    }
  } finally {
    redis.up();
  }
});

test('when Redis stalls and an article is written meanwhile, then the next read shows it: cached reads stay fresh', async (t) => {
  if (skip) return t.skip(skip);
  await timedGet('/api/articles');
  assert.equal((await timedGet('/api/articles')).cache, 'HIT');
  redis.stall();
  try {
    const title = `During the stall ${randomBytes(3).toString('hex')}`;
    const created = await apiClient(server.url).post('/articles', { article: { title, description: 'd', body: 'b' } }, token);
    // An API write needs no Redis (the token is checked in-process, the generation is the database's);
    // if a rate limit kept in Redis refuses it with 503 instead, nothing was written and nothing must change.
    if (created.status === 201) assert.match((await timedGet('/api/articles')).body, new RegExp(title));
    else assert.equal(created.status, 503);
    const read = await timedGet('/api/articles');
    assert.equal(read.status, 200);
    assert.ok(read.ms < PROMPT_MS, `${read.ms.toFixed(1)} ms`);
  } finally {
    redis.up();
  }
});
