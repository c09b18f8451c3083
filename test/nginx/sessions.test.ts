// Cookie sessions through nginx: a user who signs in with the page form is known to every instance
// behind round-robin, and once signed out is known to none — with the sessions in Redis, and with
// no Redis (the sessions table of one shared SQLite file).
import { describe, test, type TestContext } from 'node:test';
import assert from 'node:assert/strict';
import { randomBytes, randomUUID } from 'node:crypto';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { Redis } from 'ioredis';
import { SESSION_COOKIE } from '../../src/sessions/session.js';
import { apiClient } from '../../support/client.js';
import type { TestServer } from '../../support/server.js';
import { needService, REDIS_TEST_URL } from '../../support/services.js';
import { pageClient, visibleText } from '../pages/page-client.js';
import { hostPort, INSTANCE_NAMES, needNginx, nginxFor, startInstances } from './nginx-harness.js';

/** Where the test looks for the signed-in session: in Redis, or in the sessions table. */
interface SessionProbe {
  signedInSessions(): Promise<number>;
}

async function withCluster(env: Record<string, string>, work: (servers: TestServer[], nginxUrl: string) => Promise<void>) {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'quire-lb-sessions-'));
  const servers = await startInstances(dir, env);
  const nginx = await nginxFor(servers.map(hostPort), 'round-robin');
  try {
    await work(servers, nginx.url);
  } finally {
    await nginx.stop();
    for (const s of servers) await s.close();
    fs.rmSync(dir, { recursive: true, force: true });
  }
}

async function signInSpreadSignOut(t: TestContext, servers: TestServer[], nginxUrl: string, probe: SessionProbe) {
  const username = `s${randomUUID().slice(0, 8)}`;
  // The account comes from the API, so the only sign-in here is the page form's.
  await apiClient(nginxUrl).register(username);
  const browser = pageClient(nginxUrl);
  const answeredBy = new Map<string, number>();
  const count = (res: { headers: Headers }) => {
    const by = res.headers.get('x-served-by') ?? '?';
    answeredBy.set(by, (answeredBy.get(by) ?? 0) + 1);
    return by;
  };

  // The form and the post reach different instances: the CSRF token lives in the shared store.
  const form = await browser.get('/login');
  assert.equal(form.status, 200);
  assert.ok(browser.csrfToken, 'the sign-in form carries a CSRF token');
  const formBy = count(form);
  const signIn = await browser.post('/login', { email: `${username}@example.com`, password: 'password123' });
  const signInBy = count(signIn);
  assert.equal(signIn.status, 302, `sign-in answered ${signIn.status} by ${signInBy}: ${visibleText(signIn.text).slice(0, 300)}`);
  assert.ok(browser.jar.has(SESSION_COOKIE), 'the sign-in sets the session cookie');
  assert.equal(await probe.signedInSessions(), 1, 'one signed-in session in the shared store');

  for (let i = 1; i <= 20; i++) {
    const page = await browser.get('/settings');
    const by = count(page);
    assert.equal(page.status, 200, `request ${i}, answered by ${by}: ${page.status} → ${page.location}`);
    assert.match(visibleText(page.text), new RegExp(`@${username}\\b`), `request ${i}, answered by ${by}, does not show the user`);
  }
  t.diagnostic(`form by ${formBy}, sign-in by ${signInBy}; with the settings pages: ${JSON.stringify(Object.fromEntries(answeredBy))}`);
  assert.deepEqual([...answeredBy.keys()].sort(), [...INSTANCE_NAMES], 'all three instances answered');

  const staleCookies = new Map(browser.jar);
  const signOut = await browser.post('/logout');
  assert.equal(signOut.status, 302);
  assert.equal(browser.jar.has(SESSION_COOKIE), false, 'the sign-out clears the cookie');
  assert.equal(await probe.signedInSessions(), 0, 'the signed-in session is gone from the store');

  // Someone who kept the old cookie is signed out on every instance, asked directly.
  for (const [i, server] of servers.entries()) {
    const stale = pageClient(server.url);
    for (const [name, value] of staleCookies) stale.jar.set(name, value);
    const page = await stale.get('/settings');
    assert.equal(page.status, 302, `instance ${INSTANCE_NAMES[i]} still knows the signed-out cookie`);
    assert.equal(page.location, '/login?next=%2Fsettings');
  }
}

describe('cookie sessions through nginx over three instances', { skip: needNginx() }, () => {
  test('when the instances share one Redis, then a page sign-in is seen by all and a sign-out by all', { timeout: 60_000 }, async (t) => {
    const skip = await needService('Redis', REDIS_TEST_URL);
    if (skip) return t.skip(skip);
    const prefix = `quire-test-${randomBytes(4).toString('hex')}:`;
    const redis = new Redis(REDIS_TEST_URL);
    const signedIn = async (keys: string[]) => (await Promise.all(keys.map((k) => redis.get(k)))).filter((v) => v?.includes('"uid"')).length;
    try {
      await withCluster({ REDIS_URL: REDIS_TEST_URL, REDIS_PREFIX: prefix }, async (servers, nginxUrl) => {
        await signInSpreadSignOut(t, servers, nginxUrl, { signedInSessions: async () => signedIn(await redis.keys(`${prefix}sess:*`)) });
        const rows = await servers[0]!.deps.database.db.selectFrom('sessions').select('id').execute();
        assert.equal(rows.length, 0, 'with Redis, nothing goes to the sessions table');
      });
    } finally {
      const keys = await redis.keys(`${prefix}*`);
      if (keys.length) await redis.del(...keys);
      redis.disconnect();
    }
  });

  test('when the instances share one SQLite file and no Redis, then a page sign-in is seen by all and a sign-out by all', { timeout: 60_000 }, async (t) => {
    await withCluster({}, async (servers, nginxUrl) => {
      const { db } = servers[0]!.deps.database;
      await signInSpreadSignOut(t, servers, nginxUrl, {
        signedInSessions: async () => (await db.selectFrom('sessions').select('data').execute()).filter((r) => r.data.includes('"uid"')).length,
      });
    });
  });
});
