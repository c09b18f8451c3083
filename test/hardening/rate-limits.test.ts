// Write floods (issue 19, item 5): every write is limited per account and per client address, through
// the API and the pages alike, in a store every instance shares (Redis, else the database); a store
// that goes away leaves each worker counting in memory, never a 500.
import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { randomBytes } from 'node:crypto';
import { Redis } from 'ioredis';
import { apiClient } from '../../support/client.js';
import { startTestServer, type TestServer } from '../../support/server.js';
import { createMysqlDatabase, MYSQL_ADMIN_URL, needService, REDIS_TEST_URL } from '../../support/services.js';
import { startTcpProxy } from '../../support/tcp-proxy.js';
import { pageClient } from '../pages/page-client.js';
import { addressClient } from './rate-limit-client.js';

const tooMany = { errors: { writes: ['too many requests, try again later'] } };

/** A fresh Redis key prefix, and a cleanup that deletes what the test wrote under it. */
function redisPrefix() {
  const prefix = `quire-test-${randomBytes(4).toString('hex')}:`;
  return {
    prefix,
    async clean() {
      const redis = new Redis(REDIS_TEST_URL);
      const keys = await redis.keys(`${prefix}*`);
      if (keys.length) await redis.del(...keys);
      redis.disconnect();
    },
  };
}

async function articleBy(server: TestServer, username: string) {
  const api = apiClient(server.url);
  const author = await api.register(username);
  const created = await api.post('/articles', { article: { title: `Flooded ${username}`, description: 'd', body: 'b' } }, author.token);
  assert.equal(created.status, 201, created.text);
  return { api, token: author.token, slug: created.body.article.slug as string };
}

/** With the shipped defaults: 100 comments sent within 10 s by one account. */
async function assertCommentFloodIsCut(server: TestServer) {
  const { api, token, slug } = await articleBy(server, `flooder${randomBytes(3).toString('hex')}`);
  const started = performance.now();
  const statuses: number[] = [];
  let refused;
  for (let i = 0; i < 100; i++) {
    const res = await api.post(`/articles/${slug}/comments`, { comment: { body: `comment ${i} ${'x'.repeat(2000)}` } }, token);
    statuses.push(res.status);
    if (res.status === 429) refused ??= res;
  }
  assert.ok(performance.now() - started < 10_000, 'the 100 comments went out within 10 s');
  const accepted = statuses.filter((s) => s === 201).length;
  assert.deepEqual([...new Set(statuses)], [201, 429], 'accepted, then refused');
  assert.ok(accepted <= server.deps.config.WRITE_LIMIT_PER_ACCOUNT, `${accepted} accepted`);
  assert.ok(statuses.indexOf(429) > statuses.lastIndexOf(201), 'once refused, refused to the end');
  assert.deepEqual(refused!.body, tooMany);
  const retryAfter = Number(refused!.headers.get('retry-after'));
  assert.ok(retryAfter >= 1 && retryAfter <= server.deps.config.WRITE_LIMIT_WINDOW_SECONDS, `Retry-After ${retryAfter}`);
  const stored = (await api.get(`/articles/${slug}/comments`)).body.comments.length;
  assert.equal(stored, accepted, 'every refused comment was not stored');
}

describe('write floods', () => {
  test('when one account posts 100 comments in 10 s on SQLite, then it is cut off with 429 and Retry-After', async () => {
    const server = await startTestServer('sqlite');
    try {
      await assertCommentFloodIsCut(server);
    } finally {
      await server.close();
    }
  });

  test('when one account posts 100 comments in 10 s with Redis, then it is cut off with 429 and counted in Redis', async (t) => {
    const skip = await needService('Redis', REDIS_TEST_URL);
    if (skip) return t.skip(skip);
    const redis = redisPrefix();
    const server = await startTestServer('sqlite', { REDIS_URL: REDIS_TEST_URL, REDIS_PREFIX: redis.prefix });
    try {
      await assertCommentFloodIsCut(server);
      const probe = new Redis(REDIS_TEST_URL);
      assert.ok((await probe.keys(`${redis.prefix}write-account:*`)).length > 0, 'the account budget lives in Redis');
      probe.disconnect();
    } finally {
      await server.close();
      await redis.clean();
    }
  });

  async function budgetIsShared(env: Record<string, string>) {
    const limits = { ...env, WRITE_LIMIT_PER_ACCOUNT: '4' };
    const a = await startTestServer('sqlite', limits);
    const b = await startTestServer('sqlite', limits);
    try {
      const { token, slug } = await articleBy(a, `sharer${randomBytes(3).toString('hex')}`);
      const comment = (server: TestServer) => apiClient(server.url).post(`/articles/${slug}/comments`, { comment: { body: 'hi' } }, token);
      // The article was the account's first write; three more, alternating instances, spend the budget.
      const statuses = [await comment(b), await comment(a), await comment(b), await comment(a), await comment(b)];
      assert.deepEqual(statuses.map((r) => r.status), [201, 201, 201, 429, 429]);
    } finally {
      await a.close();
      await b.close();
    }
  }

  test('when two instances share one SQLite file, then an account budget spent on one is spent on the other', async () => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'quire-limit-'));
    try {
      await budgetIsShared({ DATABASE_URL: `sqlite:${path.join(dir, 'q.db')}` });
    } finally {
      fs.rmSync(dir, { recursive: true, force: true });
    }
  });

  test('when two instances share one MariaDB, then an account budget spent on one is spent on the other', async (t) => {
    const skip = await needService('MariaDB', MYSQL_ADMIN_URL);
    if (skip) return t.skip(skip);
    const database = await createMysqlDatabase('quire_limit');
    try {
      await budgetIsShared({ DATABASE_URL: database.url });
    } finally {
      await database.drop();
    }
  });

  test('when two instances share Redis, then an account budget spent on one is spent on the other', async (t) => {
    const skip = await needService('Redis', REDIS_TEST_URL);
    if (skip) return t.skip(skip);
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'quire-limit-'));
    const redis = redisPrefix();
    try {
      await budgetIsShared({ REDIS_URL: REDIS_TEST_URL, REDIS_PREFIX: redis.prefix, DATABASE_URL: `sqlite:${path.join(dir, 'q.db')}` });
    } finally {
      await redis.clean();
      fs.rmSync(dir, { recursive: true, force: true });
    }
  });

  test('when several accounts write from one address, then the address budget cuts them all off and other addresses go on', async () => {
    const server = await startTestServer('sqlite', { WRITE_LIMIT_PER_ADDRESS: '6' });
    const crowd = addressClient(server.url, '127.0.0.2');
    const neighbour = addressClient(server.url, '127.0.0.3');
    try {
      const { token, slug } = await articleBy(server, 'host'); // from 127.0.0.1
      const tokens = [];
      for (const name of ['crowd1', 'crowd2', 'crowd3']) {
        const res = await crowd.post('/users', { user: { username: name, email: `${name}@example.com`, password: 'password123' } });
        assert.equal(res.status, 201, 'sign-ups count as writes of the address');
        tokens.push(res.body.user.token as string);
      }
      const statuses = [];
      for (const t of [...tokens, ...tokens]) statuses.push((await crowd.post(`/articles/${slug}/comments`, { comment: { body: 'hi' } }, t)).status);
      assert.deepEqual(statuses, [201, 201, 201, 429, 429, 429]);
      const refused = await crowd.post('/users', { user: { username: 'crowd4', email: 'crowd4@example.com', password: 'password123' } });
      assert.equal(refused.status, 429);
      assert.deepEqual(refused.body, tooMany);
      assert.equal((await neighbour.post(`/articles/${slug}/comments`, { comment: { body: 'still here' } }, token)).status, 201);
    } finally {
      crowd.close();
      neighbour.close();
      await server.close();
    }
  });

  test('when the comment form is posted past the account budget, then a 429 page, and the API shares that budget', async () => {
    const server = await startTestServer('sqlite', { WRITE_LIMIT_PER_ACCOUNT: '3' });
    try {
      const { slug } = await articleBy(server, 'pageauthor');
      const browser = pageClient(server.url);
      await browser.register('pagewriter');
      await browser.get(`/article/${slug}`);
      const statuses = [];
      for (let i = 0; i < 4; i++) statuses.push((await browser.post(`/article/${slug}/comments`, { body: `form comment ${i}` })).status);
      assert.deepEqual(statuses, [302, 302, 302, 429]);
      const page = await browser.post(`/article/${slug}/comments`, { body: 'one more' });
      assert.equal(page.status, 429);
      assert.match(page.headers.get('content-type') ?? '', /^text\/html/);
      assert.match(page.text, /too many requests, try again later/);
      assert.ok(Number(page.headers.get('retry-after')) >= 1);
      const api = apiClient(server.url);
      const { body } = await api.post('/users/login', { user: { email: 'pagewriter@example.com', password: 'password123' } });
      const viaApi = await api.post(`/articles/${slug}/comments`, { comment: { body: 'api' } }, body.user.token);
      assert.equal(viaApi.status, 429, 'the same account budget');
    } finally {
      await server.close();
    }
  });

  test('when Redis, the limiter store, goes down, then sign-ins are still answered and still limited, counted in memory', async (t) => {
    const skip = await needService('Redis', REDIS_TEST_URL);
    if (skip) return t.skip(skip);
    const target = new URL(REDIS_TEST_URL);
    const proxy = await startTcpProxy({ host: target.hostname, port: Number(target.port) });
    const redis = redisPrefix();
    const server = await startTestServer('sqlite', { REDIS_URL: `redis://127.0.0.1:${proxy.port}`, REDIS_PREFIX: redis.prefix, LOGIN_MAX_ATTEMPTS: '2' });
    try {
      const api = apiClient(server.url);
      await api.register('outage');
      proxy.down();
      const login = (password: string) => api.post('/users/login', { user: { email: 'outage@example.com', password } });
      const statuses = [(await login('wrong-one')).status, (await login('wrong-two')).status, (await login('password123')).status];
      assert.deepEqual(statuses, [401, 401, 429]);
    } finally {
      proxy.up();
      await server.close();
      await proxy.close();
      await redis.clean();
    }
  });
});
