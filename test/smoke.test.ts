// When a newcomer starts Quire with nothing configured, then the API answers on SQLite.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { startTestServer } from '../support/server.js';

test('when the app starts on SQLite, then GET /api/articles is an empty list and /healthz is 200', async () => {
  const server = await startTestServer('sqlite');
  try {
    const res = await fetch(`${server.url}/api/articles`);
    assert.equal(res.status, 200);
    assert.deepEqual(await res.json(), { articles: [], articlesCount: 0 });
    assert.equal((await fetch(`${server.url}/healthz`)).status, 200);
  } finally {
    await server.close();
  }
});
