// When no nginx is in front, the app gzips what is worth it; COMPRESS=off leaves that to nginx.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { gunzipSync } from 'node:zlib';
import { rawRequest } from './support/client.js';
import { startTestServer } from './support/server.js';

const rawGet = (url: string, headers: Record<string, string>) => rawRequest(url, { headers });

test('when a client accepts gzip, then pages over 1 KB come gzipped (cached or not) and small ones plain', async () => {
  const server = await startTestServer('sqlite');
  try {
    for (let i = 0; i < 2; i++) {
      const page = await rawGet(`${server.url}/`, { 'accept-encoding': 'gzip' });
      assert.equal(page.headers['content-encoding'], 'gzip');
      assert.match(page.headers.vary ?? '', /Accept-Encoding/i);
      assert.match(gunzipSync(page.body).toString('utf8'), /<!doctype html>/i);
    }
    const small = await rawGet(`${server.url}/api/articles`, { 'accept-encoding': 'gzip' });
    assert.equal(small.headers['content-encoding'], undefined);
    assert.deepEqual(JSON.parse(small.body.toString('utf8')), { articles: [], articlesCount: 0 });
  } finally {
    await server.close();
  }
});

test('when COMPRESS=off, then nothing is gzipped', async () => {
  const server = await startTestServer('sqlite', { COMPRESS: 'off' });
  try {
    const page = await rawGet(`${server.url}/`, { 'accept-encoding': 'gzip' });
    assert.equal(page.headers['content-encoding'], undefined);
    assert.match(page.body.toString('utf8'), /<!doctype html>/i);
  } finally {
    await server.close();
  }
});
