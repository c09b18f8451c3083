// When a list is read, then the number of SQL queries does not grow with the page size (no N+1).
// Counted with a Kysely plugin on the app's own handle, as each query's result comes back (prepared
// queries skip building, not running); the cache is off so every request queries.
import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import http from 'node:http';
import type { KyselyPlugin } from 'kysely';
import { createApp } from '../../src/app.js';
import { seedSite } from '../../src/seed/seed.js';
import { listenLocally, startTestServer, type TestServer } from '../../support/server.js';

let server: TestServer;
let counted: http.Server;
let url: string;
let queries = 0;

const countQueries: KyselyPlugin = {
  transformQuery: (args) => args.node,
  transformResult: async (args) => { queries++; return args.result; },
};

before(async () => {
  server = await startTestServer('sqlite', { CACHE: 'off' });
  await seedSite(server.deps.database.db, { users: 8, articles: 60, comments: 120, seed: 7, password: 'password' });
  const database = { ...server.deps.database, db: server.deps.database.db.withPlugin(countQueries) };
  counted = http.createServer(createApp({ ...server.deps, database }).callback());
  url = await listenLocally(counted);
});

after(async () => {
  counted?.closeAllConnections();
  await new Promise<void>((resolve) => (counted ? counted.close(() => resolve()) : resolve()));
  await server?.close();
});

async function queriesFor(path: string, headers: Record<string, string> = {}): Promise<number> {
  const start = queries;
  const res = await fetch(`${url}${path}`, { headers });
  assert.equal(res.status, 200, path);
  await res.arrayBuffer();
  return queries - start;
}

test('when GET /api/articles asks for 1, 5, 20 or 50 articles, then it runs the same number of queries', async () => {
  const counts: number[] = [];
  for (const limit of [1, 5, 20, 50]) counts.push(await queriesFor(`/api/articles?limit=${limit}`));
  assert.ok(counts[0]! <= 4, `a list page takes a handful of queries, not ${counts[0]}`);
  assert.deepEqual(counts, counts.map(() => counts[0]), `queries per page size 1/5/20/50: ${counts.join('/')}`);
});

test('when a tag list or a signed-in feed grows, then its query count stays constant', async () => {
  const login = await fetch(`${url}/api/users/login`, {
    method: 'POST', headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ user: { email: (await firstEmail()), password: 'password' } }),
  });
  const { user } = await login.json() as { user: { token: string } };
  const auth = { authorization: `Token ${user.token}` };
  const tagCounts: number[] = [];
  for (const limit of [1, 10, 40]) tagCounts.push(await queriesFor(`/api/articles?tag=javascript&limit=${limit}`));
  assert.deepEqual(tagCounts, tagCounts.map(() => tagCounts[0]));
  const feedCounts: number[] = [];
  for (const limit of [1, 10, 40]) feedCounts.push(await queriesFor(`/api/articles/feed?limit=${limit}`, auth));
  assert.deepEqual(feedCounts, feedCounts.map(() => feedCounts[0]), `feed queries: ${feedCounts.join('/')}`);
});

test('when the home page lists articles, then its query count does not depend on how many', async () => {
  const counts = [await queriesFor('/'), await queriesFor('/?page=2'), await queriesFor('/tag/javascript')];
  assert.ok(counts.every((n) => n <= counts[0]! + 2), `home/page 2/tag page queries: ${counts.join('/')}`);
});

async function firstEmail(): Promise<string> {
  const row = await server.deps.database.db.selectFrom('users').select('email').orderBy('id').limit(1).executeTakeFirstOrThrow();
  return row.email;
}
