// When SERVER_TIMING is on, then every response says how long each onion layer and the database
// took; when it is off, then the header is absent.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { startTestServer } from '../../support/server.js';

test('when SERVER_TIMING=1, then responses carry Server-Timing with per-layer, db and total entries', async () => {
  const server = await startTestServer('sqlite', { SERVER_TIMING: '1' });
  try {
    for (const path of ['/api/articles', '/api/no-such-route']) {
      const res = await fetch(`${server.url}${path}`);
      await res.text();
      const header = res.headers.get('server-timing') ?? '';
      const names = header.split(',').map((m) => m.trim().split(';')[0]);
      for (const layer of ['forwardedHeaders', 'requestId', 'accessLog', 'errorHandler', 'bodyParser', 'db', 'total']) {
        assert.ok(names.includes(layer), `${path}: ${layer} missing from "${header}"`);
      }
      assert.match(header, /(^|, )[\w.-]+;dur=\d+\.\d{2}/);
    }
    // An address not read before: a cache miss, so the list itself is read (a hit reads no SQL at all).
    const listed = (await fetch(`${server.url}/api/articles?limit=1`)).headers.get('server-timing')!;
    assert.match(listed, /db;dur=\d+\.\d+;desc="[1-9]\d* quer(y|ies)"/, 'the article list reads the database');
    assert.ok(listed.indexOf('forwardedHeaders') < listed.indexOf('errorHandler'), 'outermost layers come first');
  } finally {
    await server.close();
  }
});

test('when SERVER_TIMING=0, then no response carries Server-Timing', async () => {
  const server = await startTestServer('sqlite', { SERVER_TIMING: '0' });
  try {
    const res = await fetch(`${server.url}/api/articles`);
    await res.text();
    assert.equal(res.status, 200);
    assert.equal(res.headers.get('server-timing'), null);
  } finally {
    await server.close();
  }
});
