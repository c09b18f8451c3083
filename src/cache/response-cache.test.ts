// The cache layer's side of invalidation: a write moves the generation only once an auth layer has
// called ctx.state.authenticatedWrite, before the route and after it (not after a 4xx), and a
// generation that cannot be moved refuses the write with 503 before the route runs.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import Koa from 'koa';
import { responseCache } from './response-cache.js';
import { createLogger } from '../runtime/logger.js';
import type { GenerationStore } from './generation.js';
import type { RequestState } from '../core/state.js';

/** A generation kept in this test, counting bumps; bumps fail while `failing` is set. */
function countingGeneration() {
  const store = { value: 0, failing: false, bumps: 0 };
  const generation: GenerationStore = {
    read: async () => String(store.value),
    bump: async () => {
      if (store.failing) throw new Error('store unreachable');
      store.bumps++;
      store.value++;
    },
  };
  return { store, generation };
}

/**
 * The cache layer in front of a stand-in for the auth layers and a route: a request with
 * "x-signed: yes" is authenticated (the hook is called, twice, as two layers might); the route
 * answers with the status asked for in "x-status" and records that it ran.
 */
async function withApp(generation: GenerationStore, run: (url: string, routeRuns: () => number) => Promise<void>) {
  const cache = responseCache({ generation, maxBytes: 1e6, maxEntries: 100, logger: createLogger('silent'), compress: false });
  const app = new Koa<RequestState>();
  let runs = 0;
  app.silent = true;
  app.use(cache.middleware);
  app.use(async (ctx, next) => {
    if (ctx.get('x-signed') === 'yes') {
      await ctx.state.authenticatedWrite?.();
      await ctx.state.authenticatedWrite?.();
    }
    await next();
  });
  app.use((ctx) => { runs++; ctx.status = Number(ctx.get('x-status') || 201); ctx.body = 'done'; });
  const server = http.createServer(app.callback());
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  try {
    await run(`http://127.0.0.1:${(server.address() as AddressInfo).port}`, () => runs);
  } finally {
    await new Promise<void>((resolve) => server.close(() => resolve()));
  }
}

const write = (url: string, headers: Record<string, string>) => fetch(`${url}/api/articles`, { method: 'POST', headers }).then(async (res) => { await res.arrayBuffer(); return res.status; });

test('when a write carries credentials but no auth layer vouches for it, then the generation does not move', async () => {
  const { store, generation } = countingGeneration();
  await withApp(generation, async (url) => {
    assert.equal(await write(url, { cookie: 'junk=1', authorization: 'Token junk' }), 201);
    assert.equal(await write(url, { 'x-status': '401', authorization: 'Token junk' }), 401);
  });
  assert.equal(store.bumps, 0);
});

test('when an authenticated write succeeds, then the generation moves once before it and once after it', async () => {
  const { store, generation } = countingGeneration();
  await withApp(generation, async (url) => {
    assert.equal(await write(url, { 'x-signed': 'yes' }), 201);
  });
  assert.equal(store.bumps, 2, 'a second call of the hook does not bump again');
});

test('when an authenticated write is refused with a 4xx, then only the bump before it happened', async () => {
  const { store, generation } = countingGeneration();
  await withApp(generation, async (url) => {
    assert.equal(await write(url, { 'x-signed': 'yes', 'x-status': '422' }), 422);
  });
  assert.equal(store.bumps, 1);
});

test('when the generation cannot be bumped, then an authenticated write is refused with 503 before the route runs', async () => {
  const { store, generation } = countingGeneration();
  store.failing = true;
  await withApp(generation, async (url, routeRuns) => {
    assert.equal(await write(url, { 'x-signed': 'yes' }), 503);
    assert.equal(routeRuns(), 0, 'the route never ran');
    assert.equal(await write(url, {}), 201, 'an anonymous write needs no bump');
  });
});
