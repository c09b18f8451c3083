// Sign-in spraying (issue 19, item 6, and item 7's "attempts that failed because a dependency was
// down"): one address trying a new email each time is cut off by its own budget, a flood holds only
// a few of the worker's password checks, and an outage costs nobody an attempt.
import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { randomBytes } from 'node:crypto';
import { Redis } from 'ioredis';
import { apiClient } from '../../support/client.js';
import { startTestServer } from '../../support/server.js';
import { createMysqlDatabase, MYSQL_ADMIN_URL, needService, REDIS_TEST_URL } from '../../support/services.js';
import { startTcpProxy } from '../../support/tcp-proxy.js';
import { addressClient, timedSignIn } from './rate-limit-client.js';

describe('sign-in spraying', () => {
  test('when one address tries 1,000 sign-ins with random emails, then it is cut off with 429 and a real user elsewhere signs in within 300 ms', async (t) => {
    const server = await startTestServer('sqlite');
    const user = addressClient(server.url, '127.0.0.3');
    try {
      await apiClient(server.url).register('realuser');
      await timedSignIn(user, 'realuser@example.com', 'password123'); // a first, cold sign-in, before the clock runs
      const sprayer = addressClient(server.url, '127.0.0.2');
      const statuses: Record<number, number> = {};
      let sent = 0;
      const spray = async () => {
        while (sent < 1000) {
          sent++;
          const { status } = await sprayer.post('/users/login', { user: { email: `${randomBytes(6).toString('hex')}@example.com`, password: 'guess-guess' } });
          statuses[status] = (statuses[status] ?? 0) + 1;
        }
      };
      let spraying = true;
      const sprayed = Promise.all(Array.from({ length: 8 }, spray)).finally(() => { spraying = false; });
      const signIns = [];
      // The real user signs in over and over while the spray lasts (well within their own address's budget).
      while (spraying && signIns.length < 40) signIns.push(await timedSignIn(user, 'realuser@example.com', 'password123'));
      await sprayed;
      sprayer.close();

      const limit = server.deps.config.LOGIN_ADDRESS_MAX_ATTEMPTS;
      assert.equal(sent, 1000);
      assert.ok((statuses[429] ?? 0) >= 1000 - limit, `cut off: ${JSON.stringify(statuses)}`);
      assert.ok((statuses[401] ?? 0) <= limit, `${statuses[401]} passwords checked for the sprayer`);
      assert.ok(signIns.length > 0, 'the real user signed in during the spray');
      assert.deepEqual([...new Set(signIns.map((s) => s.status))], [200], 'the real user always got in');
      // The bound is 300 ms; the median is held to it, the slowest, on a machine shared with other
      // runs, to three times it (docs/decisions/19-rate-limits.md). Unfixed, the sprayer's hashes queued it for seconds.
      const times = signIns.map((s) => s.ms).sort((a, b) => a - b);
      const shown = times.map((ms) => ms.toFixed(0)).join(', ');
      t.diagnostic(`spray: ${JSON.stringify(statuses)}; the real user's ${times.length} sign-ins: ${shown} ms`);
      assert.ok(times[Math.floor(times.length / 2)]! < 300, `median of the real user's sign-ins: ${shown} ms`);
      assert.ok(times.at(-1)! < 900, `slowest of the real user's sign-ins: ${shown} ms`);
    } finally {
      user.close();
      await server.close();
    }
  });

  test('when one address sends more sign-ins at once than its password-check slots, then the rest get 503 at once with Retry-After', async () => {
    const server = await startTestServer('sqlite');
    const client = addressClient(server.url, '127.0.0.2');
    try {
      await apiClient(server.url).register('busy');
      const answers = await Promise.all(Array.from({ length: 8 }, () => client.post('/users/login', { user: { email: 'busy@example.com', password: 'password123' } })));
      const busy = answers.filter((r) => r.status === 503);
      assert.ok(busy.length >= 1, `statuses ${answers.map((r) => r.status).join(',')}`);
      for (const r of busy) {
        assert.ok(Number(r.headers['retry-after']) >= 1);
        assert.deepEqual(Object.keys(r.body.errors), ['credentials']);
      }
      assert.ok(answers.some((r) => r.status === 200), 'those with a slot signed in');
    } finally {
      client.close();
      await server.close();
    }
  });

  test('when the database is down during sign-ins, then those attempts do not count towards the limit', async (t) => {
    const skip = (await needService('MariaDB', MYSQL_ADMIN_URL)) ?? (await needService('Redis', REDIS_TEST_URL));
    if (skip) return t.skip(skip);
    const database = await createMysqlDatabase('quire_limit');
    const target = new URL(MYSQL_ADMIN_URL);
    const proxy = await startTcpProxy({ host: target.hostname, port: Number(target.port || 3306) });
    const url = new URL(database.url);
    url.host = `127.0.0.1:${proxy.port}`;
    const prefix = `quire-test-${randomBytes(4).toString('hex')}:`;
    // The limiter counts in Redis, so it keeps counting while the database is away.
    const server = await startTestServer('sqlite', { DATABASE_URL: url.toString(), REDIS_URL: REDIS_TEST_URL, REDIS_PREFIX: prefix, LOGIN_MAX_ATTEMPTS: '2' });
    const api = apiClient(server.url);
    const login = (password: string) => api.post('/users/login', { user: { email: 'outage@example.com', password } });
    try {
      await api.register('outage');
      proxy.down();
      for (let i = 0; i < 4; i++) assert.equal((await login('password123')).status, 503);
      proxy.up();
      // The pool reconnects by itself; until it has, sign-ins may still meet the outage.
      let status = 503;
      for (let i = 0; i < 50 && status === 503; i++) status = (await login('wrong-password')).status;
      assert.equal(status, 401, 'the database is back');
      assert.equal((await login('password123')).status, 200, 'one wrong password is all this address has spent');
    } finally {
      proxy.up();
      await server.close();
      await proxy.close();
      await database.drop();
      const redis = new Redis(REDIS_TEST_URL);
      const keys = await redis.keys(`${prefix}*`);
      if (keys.length) await redis.del(...keys);
      redis.disconnect();
    }
  });
});
