// Methods no route takes — WebDAV's PROPFIND, MKCOL, LOCK, caches' PURGE, or one the router has never
// heard of — get the contract's JSON 405 under /api and an HTML 405 page elsewhere, never a plain-text 501.
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import http from 'node:http';
import { rawRequest, type RawResponse } from '../../support/client.js';
import { startTestServer, type TestServer } from '../../support/server.js';

const UNKNOWN = ['PROPFIND', 'PROPPATCH', 'MKCOL', 'COPY', 'MOVE', 'LOCK', 'UNLOCK', 'PURGE', 'SEARCH', 'REPORT', 'MKCALENDAR', 'LINK', 'QUERY'];

const allowOf = (res: RawResponse) => String(res.headers.allow ?? '').split(/,\s*/).filter(Boolean).sort();

/** One request with the visitor's CSRF cookie and token, so a page request gets past CSRF to the router. */
function pageRequest(url: string, method: string, cookie: string, token: string): Promise<RawResponse> {
  return rawRequest(url, { method, headers: { cookie, 'x-csrf-token': token } });
}

describe('methods no route takes', () => {
  let server: TestServer;
  before(async () => { server = await startTestServer('sqlite'); });
  after(async () => server?.close());

  function assertJson405(res: RawResponse, what: string) {
    assert.equal(res.status, 405, `${what}: ${res.status} ${res.body.toString().slice(0, 200)}`);
    assert.match(String(res.headers['content-type']), /^application\/json/, what);
    assert.deepEqual(JSON.parse(res.body.toString()), { errors: { method: ['is not allowed'] } }, what);
  }

  test('when an API route is sent a method the API does not know, then it answers the JSON 405 with the methods it takes in Allow', async () => {
    for (const method of UNKNOWN) {
      const res = await rawRequest(`${server.url}/api/articles`, { method });
      assertJson405(res, `${method} /api/articles`);
      assert.deepEqual(allowOf(res), ['GET', 'HEAD', 'POST'], `${method} /api/articles Allow`);
    }
    const one = await rawRequest(`${server.url}/api/articles/some-slug/favorite`, { method: 'LOCK' });
    assertJson405(one, 'LOCK on a favourite');
    assert.deepEqual(allowOf(one), ['DELETE', 'POST']);
  });

  test('when an address under /api that no route has is sent such a method, then it answers the JSON 405 without an empty Allow', async () => {
    for (const path of ['/api', '/api/', '/api/no-such-thing']) {
      for (const method of ['PROPFIND', 'PURGE', 'MKCOL']) {
        const res = await rawRequest(`${server.url}${path}`, { method });
        assertJson405(res, `${method} ${path}`);
        assert.equal(res.headers.allow, undefined, `${method} ${path} has no Allow to offer`);
      }
    }
  });

  test('when a page is sent a method no page takes, then it answers an HTML 405 page with Allow, never a plain-text 501 or 405', async () => {
    const visit = await new Promise<http.IncomingMessage & { text?: string }>((resolve, reject) => {
      http.get(`${server.url}/login`, (res) => {
        let text = '';
        res.setEncoding('utf8').on('data', (c: string) => { text += c; }).on('end', () => resolve(Object.assign(res, { text })));
      }).on('error', reject);
    });
    const cookie = (visit.headers['set-cookie'] ?? []).map((c) => c.split(';')[0]).join('; ');
    const token = /name="_csrf" value="([^"]*)"/.exec(visit.text ?? '')?.[1];
    assert.ok(token, 'the login page carries a CSRF token');
    for (const [method, path] of [['PROPFIND', '/'], ['PURGE', '/login'], ['MKCOL', '/no-such-page'], ['DELETE', '/login'], ['PATCH', '/']] as const) {
      const res = await pageRequest(`${server.url}${path}`, method, cookie, token);
      assert.equal(res.status, 405, `${method} ${path}: ${res.status} ${res.body.toString().slice(0, 200)}`);
      assert.match(String(res.headers['content-type']), /^text\/html/, `${method} ${path} is a page`);
      assert.match(res.body.toString(), /<html/i, `${method} ${path} is a page`);
      if (path === '/login') assert.deepEqual(allowOf(res), ['GET', 'HEAD', 'POST'], `${method} ${path} Allow`);
    }
  });
});
