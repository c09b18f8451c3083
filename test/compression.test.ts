// When no nginx is in front, the app gzips what is worth it; COMPRESS=off leaves that to nginx.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { gunzipSync } from 'node:zlib';
import { rawRequest } from '../support/client.js';
import { startTestServer } from '../support/server.js';

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

test('when a rendered body is gzipped, then it goes out whole with its length, and its ETag is the same as sent plain', async () => {
  const server = await startTestServer('sqlite', { CACHE: 'off' });
  try {
    const gzipped = await rawGet(`${server.url}/`, { 'accept-encoding': 'gzip, deflate, br' });
    assert.equal(gzipped.headers['content-encoding'], 'gzip');
    assert.equal(gzipped.headers['transfer-encoding'], undefined);
    assert.equal(Number(gzipped.headers['content-length']), gzipped.body.length);
    assert.match(gzipped.headers['content-type'] ?? '', /^text\/html/);
    const plain = await rawGet(`${server.url}/`, { 'accept-encoding': 'gzip;q=0, identity' });
    assert.equal(plain.headers['content-encoding'], undefined);
    assert.equal(gunzipSync(gzipped.body).toString('utf8'), plain.body.toString('utf8'));
    assert.equal(gzipped.headers.etag, plain.headers.etag);
    const head = await rawRequest(`${server.url}/`, { method: 'HEAD', headers: { 'accept-encoding': 'gzip' } });
    assert.equal(head.headers['content-encoding'], undefined);
    assert.equal(head.body.length, 0);
  } finally {
    await server.close();
  }
});

test('when a file is streamed, then koa-compress still gzips it', async () => {
  const server = await startTestServer('sqlite');
  try {
    const page = await rawGet(`${server.url}/`, {});
    const css = /href="(\/css\/[^"]+)"/.exec(page.body.toString('utf8'))?.[1];
    assert.ok(css, 'the page links its stylesheet');
    const file = await rawGet(`${server.url}${css}`, { 'accept-encoding': 'gzip' });
    assert.equal(file.status, 200);
    assert.equal(file.headers['content-encoding'], 'gzip');
    assert.match(gunzipSync(file.body).toString('utf8'), /\{/);
  } finally {
    await server.close();
  }
});
