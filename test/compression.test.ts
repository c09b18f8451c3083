// When no nginx is in front, the app gzips what is worth it; COMPRESS=off leaves that to nginx.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { createHook } from 'node:async_hooks';
import http from 'node:http';
import { gunzipSync } from 'node:zlib';
import Koa from 'koa';
import { compression } from '../src/middleware/compress.js';
import { rawRequest } from './support/client.js';
import { listenLocally, startTestServer } from './support/server.js';

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

/** Counts callbacks from zlib handles while work runs: an async (thread-pool) gzip calls back, an in-place one never does. */
async function zlibCallbacksDuring(work: () => Promise<void>): Promise<number> {
  const zlibHandles = new Set<number>();
  let callbacks = 0;
  const hook = createHook({
    init(id, type) { if (type === 'ZLIB') zlibHandles.add(id); },
    before(id) { if (zlibHandles.has(id)) callbacks++; },
  }).enable();
  try {
    await work();
  } finally {
    hook.disable();
  }
  return callbacks;
}

test('when a large body is gzipped on the thread pool (a lone process) or in place (a cluster worker), then both send the same whole gzip with its length', async () => {
  const large = `<!doctype html><p>${Array.from({ length: 2000 }, (_, i) => `item ${i * 7919 % 104729}`).join(', ')}</p>`;
  const small = `<!doctype html><p>${'a small page '.repeat(200)}</p>`;
  const answers: Buffer[] = [];
  for (const offLoop of [true, false]) {
    const app = new Koa();
    for (const layer of compression({ offLoop })) app.use(layer);
    app.use((ctx) => { ctx.type = 'html'; ctx.body = ctx.path === '/large' ? large : small; });
    const server = http.createServer(app.callback());
    const url = await listenLocally(server);
    try {
      for (const [path, text] of [['/large', large], ['/small', small]] as const) {
        // Several at once: jobs on the pool finish in any order, each answer must still be its own.
        let responses: Awaited<ReturnType<typeof rawGet>>[] = [];
        const pooled = await zlibCallbacksDuring(async () => {
          responses = await Promise.all(Array.from({ length: 4 }, () => rawGet(`${url}${path}`, { 'accept-encoding': 'gzip' })));
        });
        assert.equal(pooled > 0, offLoop && path === '/large', `${path} offLoop=${offLoop}: ${pooled} zlib callbacks`);
        for (const res of responses) {
          assert.equal(res.headers['content-encoding'], 'gzip', `${path} offLoop=${offLoop}`);
          assert.equal(Number(res.headers['content-length']), res.body.length);
          assert.equal(gunzipSync(res.body).toString('utf8'), text);
        }
        if (path === '/large') answers.push(responses[0]!.body);
      }
    } finally {
      await new Promise((resolve) => server.close(resolve));
    }
  }
  assert.ok(Buffer.byteLength(large) > 8 * 1024, 'the large body is past the thread-pool threshold');
  assert.deepEqual(answers[0], answers[1], 'same level, same bytes, wherever it was compressed');
});
