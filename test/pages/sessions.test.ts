// When two app instances share a session store (Redis, or one SQLite file), then a sign-in on one
// is known to the other, and a sign-out on either ends the session on both.
import { after, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { randomBytes } from 'node:crypto';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { Redis } from 'ioredis';
import { needService, REDIS_TEST_URL } from '../../support/services.js';
import { startTestServer, type TestServer } from '../../support/server.js';
import { pageClient, visibleText } from './page-client.js';

async function signInOnOneSignOutOnOther(a: TestServer, b: TestServer) {
  const onA = pageClient(a.url);
  await onA.register('alice');
  const cookies = new Map(onA.jar);
  const onB = pageClient(b.url);
  for (const [k, v] of cookies) onB.jar.set(k, v);

  const settingsOnB = await onB.get('/settings');
  assert.equal(settingsOnB.status, 200, 'the second instance knows the session');
  assert.match(visibleText(settingsOnB.text), /@alice/);

  const out = await onB.post('/logout');
  assert.equal(out.status, 302);
  assert.equal(onB.jar.has('quire.sid'), false, 'the cookie is cleared');

  // The first instance, still holding the old cookie, no longer knows it.
  const again = await onA.get('/settings');
  assert.equal(again.status, 302);
  assert.equal(again.location, '/login?next=%2Fsettings');
}

describe('sessions across processes', () => {
  const servers: TestServer[] = [];
  after(async () => { await Promise.all(servers.map((s) => s.close())); });

  it('when two instances share one Redis, then sign-in and sign-out hold on both', async (t) => {
    const skip = await needService('Redis', REDIS_TEST_URL);
    if (skip) return t.skip(skip);
    const prefix = `quire-test-${randomBytes(4).toString('hex')}:`;
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'quire-sessions-'));
    // One database for both (the users), and Redis for the sessions.
    const env = { REDIS_URL: REDIS_TEST_URL, REDIS_PREFIX: prefix, DATABASE_URL: `sqlite:${path.join(dir, 'shared.db')}` };
    const a = await startTestServer('sqlite', env);
    const b = await startTestServer('sqlite', env);
    servers.push(a, b);
    const redis = new Redis(REDIS_TEST_URL);
    try {
      await signInOnOneSignOutOnOther(a, b);
      const left = await redis.keys(`${prefix}sess:*`);
      // Only the anonymous session left by the sign-out redirect, if any: never the signed-in one.
      for (const key of left) assert.doesNotMatch((await redis.get(key)) ?? '', /"uid"/);
      assert.equal(await a.deps.database.db.selectFrom('sessions').select('id').execute().then((r) => r.length), 0, 'nothing went to the table');
    } finally {
      const keys = await redis.keys(`${prefix}*`);
      if (keys.length) await redis.del(...keys);
      redis.disconnect();
      fs.rmSync(dir, { recursive: true, force: true });
    }
  });

  it('when two instances share one SQLite file and no Redis, then sign-in and sign-out hold on both', async () => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'quire-sessions-'));
    const env = { DATABASE_URL: `sqlite:${path.join(dir, 'shared.db')}` };
    const a = await startTestServer('sqlite', env);
    const b = await startTestServer('sqlite', env);
    servers.push(a, b);
    try {
      await signInOnOneSignOutOnOther(a, b);
      const rows = await a.deps.database.db.selectFrom('sessions').select('data').execute();
      assert.ok(rows.every((r) => !r.data.includes('"uid"')), 'the signed-in session row is gone');
    } finally {
      fs.rmSync(dir, { recursive: true, force: true });
    }
  });
});
