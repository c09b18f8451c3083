// Every layer of the onion and every header a cached response carries is classified for the cache
// (src/cache/README.md, rule 2): a layer added to src/app.ts, or a header no list names, fails here
// until someone says whether a hit replays it or sets it fresh. Real requests, miss then hits, through
// the onion (SERVER_TIMING on, so Server-Timing is seen) and through the hits answered before Koa.
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import Koa from 'koa';
import { createApp, onionLayers } from '../../src/app.js';
import { generationStore } from '../../src/cache/generation.js';
import { PER_REQUEST_HEADERS, REPLAYED_HEADERS, responseCache } from '../../src/cache/response-cache.js';
import type { RequestState } from '../../src/core/state.js';
import { rawRequest, type RawResponse } from '../../support/client.js';
import { startTestServer, type TestServer } from '../../support/server.js';

const HELMET = [
  'content-security-policy', 'cross-origin-opener-policy', 'cross-origin-resource-policy', 'origin-agent-cluster',
  'referrer-policy', 'strict-transport-security', 'x-content-type-options', 'x-dns-prefetch-control',
  'x-download-options', 'x-frame-options', 'x-permitted-cross-domain-policies', 'x-xss-protection',
];

/**
 * The onion, outermost first: each layer by its function's name, and the headers it may set on a
 * 200 GET the cache stores or replays (headers it sets only on errors, 304s, 405s, 429s, OPTIONS or
 * paths the cache never keeps are not listed: such responses are never stored).
 */
const LAYERS: { name: string; setsOnCached: string[] }[] = [
  { name: 'serverTiming', setsOnCached: ['server-timing'] },
  { name: 'forwardedHeaders', setsOnCached: [] },
  { name: 'requestId', setsOnCached: ['x-request-id'] },
  { name: 'servedBy', setsOnCached: ['x-served-by'] },
  { name: 'accessLog', setsOnCached: [] },
  { name: 'middleware', setsOnCached: HELMET }, // koa-helmet (middleware/security-headers.ts)
  { name: 'compressMiddleware', setsOnCached: ['vary', 'content-encoding'] }, // koa-compress
  { name: 'gzipInMemory', setsOnCached: ['content-encoding'] },
  { name: 'errorHandler', setsOnCached: [] },
  { name: 'apiCors', setsOnCached: ['vary', 'access-control-allow-origin', 'access-control-expose-headers'] },
  { name: 'health', setsOnCached: [] },
  { name: '', setsOnCached: [] }, // koa-conditional-get: a 304, never stored
  { name: 'etag', setsOnCached: ['etag'] },
  { name: 'bodyBytes', setsOnCached: [] },
  { name: 'responseCache', setsOnCached: ['x-cache'] },
  { name: 'bodyParser', setsOnCached: [] },
  { name: 'apiRoutes', setsOnCached: [] },
  { name: 'publicFiles', setsOnCached: [] },
  { name: 'singlePageApp', setsOnCached: [] },
  { name: 'session', setsOnCached: ['set-cookie'] }, // a response that sets one is never stored
  { name: 'currentUser', setsOnCached: [] },
  { name: 'csrfProtection', setsOnCached: [] },
  { name: 'writeLimits', setsOnCached: [] },
  { name: 'bound ', setsOnCached: ['cache-control'] }, // the page router (site/router.ts)
  { name: 'methodNotAllowed', setsOnCached: [] },
  { name: 'pageNotFound', setsOnCached: [] },
];

/** Set by Koa (the body's type and length) and Node (date, the connection's), below every layer. */
const SET_BY_KOA_AND_NODE = ['content-type', 'content-length', 'date', 'connection', 'keep-alive', 'transfer-encoding'];

const ENV = { SERVER_TIMING: '1', INSTANCE_NAME: 'layers-a', ACCESS_LOG: 'file', COMPRESS: '1' };

/** Addresses the cache keeps, asked as a browser (gzip) and as a cross-origin script (Origin, for CORS). */
const READS: { address: string; headers: Record<string, string> }[] = [
  { address: '/', headers: { accept: 'text/html', 'accept-encoding': 'gzip, deflate' } },
  { address: '/api/tags', headers: { accept: 'application/json', origin: 'https://reader.example' } },
];

/** The first header of a response, as it arrived (node:http keeps their order). */
const firstHeader = (res: RawResponse) => Object.keys(res.headers)[0];

function classified(name: string): boolean {
  return REPLAYED_HEADERS.has(name) || PER_REQUEST_HEADERS.has(name);
}

/** A miss and two hits of one address, with an entry of its own (a fresh server each suite, one address each). */
async function missThenHits(url: string, headers: Record<string, string>): Promise<[RawResponse, RawResponse, RawResponse]> {
  const miss = await rawRequest(url, { headers });
  const hit = await rawRequest(url, { headers });
  const again = await rawRequest(url, { headers });
  return [miss, hit, again];
}

/** The checks every way of answering a hit must pass; `path` names it in the messages. */
function assertClassifiedAndReplayed(path: string, address: string, [miss, ...hits]: RawResponse[]) {
  assert.equal(miss!.status, 200, `${path} ${address}: the miss`);
  assert.equal(miss!.headers['x-cache'], 'MISS', `${path} ${address}: the first read is a stored miss`);
  const declared = new Set([...LAYERS.flatMap((layer) => layer.setsOnCached), ...SET_BY_KOA_AND_NODE]);
  for (const res of [miss!, ...hits]) {
    for (const name of Object.keys(res.headers)) {
      assert.ok(classified(name), `${path} ${address}: "${name}" is in neither REPLAYED_HEADERS nor PER_REQUEST_HEADERS (src/cache/response-cache.ts)`);
      assert.ok(declared.has(name), `${path} ${address}: "${name}" is set by no layer of LAYERS that says so`);
    }
  }
  for (const hit of hits) {
    assert.equal(hit.status, 200);
    assert.equal(hit.headers['x-cache'], 'HIT', `${path} ${address}: a hit`);
    // Gzipped, the same bytes only if the miss went out with the entry's own copy (ctx.state.precompressed).
    assert.ok(hit.body.equals(miss!.body), `${path} ${address}: the hit's bytes are the miss's`);
    assert.deepEqual(Object.keys(hit.headers).sort(), Object.keys(miss!.headers).sort(), `${path} ${address}: the hit carries every header the miss did, and no other`);
    for (const name of Object.keys(miss!.headers).filter((n) => REPLAYED_HEADERS.has(n))) {
      assert.equal(hit.headers[name], miss!.headers[name], `${path} ${address}: replayed "${name}" is the miss's`);
    }
  }
  const ids = [miss!, ...hits].map((res) => res.headers['x-request-id']);
  assert.equal(new Set(ids).size, ids.length, `${path} ${address}: every response has its own X-Request-Id (${ids.join(', ')})`);
}

describe('the onion (SERVER_TIMING on, so hits go through Koa)', () => {
  let server: TestServer;
  before(async () => { server = await startTestServer('sqlite', ENV); });
  after(() => server?.close());

  test('when createApp builds its onion, then its layers are exactly those classified here, in order', () => {
    const app = new Koa<RequestState>();
    app.keys = ['layers-test'];
    const cache = responseCache({ generation: generationStore(server.deps), maxBytes: 1 << 20, maxEntries: 10, logger: server.deps.logger, compress: true });
    const names = onionLayers(server.deps, app, cache).map((layer) => layer.name);
    assert.deepEqual(names, LAYERS.map((layer) => layer.name), 'a layer was added, removed or moved: classify it in LAYERS (and its headers in src/cache/response-cache.ts)');
    assert.equal(createApp(server.deps).middleware.length, names.length, 'createApp mounts onionLayers, one for one');
  });

  test('when a layer may set a header on a cached response, then the cache classifies it as replayed or per request, never both', () => {
    for (const name of REPLAYED_HEADERS) assert.ok(!PER_REQUEST_HEADERS.has(name), `"${name}" is in both lists`);
    for (const layer of LAYERS) {
      for (const name of layer.setsOnCached) assert.ok(classified(name), `"${name}" (set by ${layer.name || 'conditional-get'}) is not classified`);
    }
    for (const name of SET_BY_KOA_AND_NODE) assert.ok(PER_REQUEST_HEADERS.has(name), `"${name}" is per request`);
  });

  for (const { address, headers } of READS) {
    test(`when ${address} is read three times through the onion, then every header is classified, replayed ones match the miss and each request id is new`, async () => {
      const responses = await missThenHits(`${server.url}${address}`, headers);
      assertClassifiedAndReplayed('onion', address, responses);
      for (const res of responses) {
        assert.ok(res.headers['server-timing'], 'Server-Timing is set (SERVER_TIMING on)');
        assert.equal(res.headers['x-served-by'], 'layers-a');
        assert.equal(firstHeader(res), 'x-request-id', 'answered by the onion, whose request-id layer sets the first header');
      }
    });
  }
});

describe('hits answered before Koa (createRequestHandler, SERVER_TIMING off)', () => {
  let server: TestServer;
  before(async () => { server = await startTestServer('sqlite', { ...ENV, SERVER_TIMING: '0', INSTANCE_NAME: 'layers-b' }); });
  after(() => server?.close());

  for (const { address, headers } of READS) {
    test(`when ${address} is read three times, then the early hits carry every replayed header of the miss and a new request id`, async () => {
      const responses = await missThenHits(`${server.url}${address}`, headers);
      assertClassifiedAndReplayed('early', address, responses);
      const [miss, ...hits] = responses;
      assert.equal(firstHeader(miss), 'x-request-id', 'the miss went through the onion');
      for (const hit of hits) {
        assert.notEqual(firstHeader(hit), 'x-request-id', 'answered by fast-hits.ts, which writes the stored headers first');
        assert.equal(hit.headers['x-served-by'], 'layers-b');
      }
    });
  }
});
