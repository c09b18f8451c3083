// When a write goes through one worker, then the very next read through another worker shows it:
// two app instances share one database, each with its own response cache warmed before every
// write, once per place the write generation can live: SQLite's generation file, Redis (MariaDB
// with REDIS_URL) and the database row (MariaDB alone). No stale response, ever.
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { randomBytes } from 'node:crypto';
import { apiClient } from '../../support/client.js';
import { startTestServer, type TestServer } from '../../support/server.js';
import { MYSQL_ADMIN_URL, needService, REDIS_TEST_URL } from '../../support/services.js';

const ROUNDS = 30;

async function getJson(url: string) {
  const res = await fetch(url);
  assert.equal(res.status, 200, `GET ${url}`);
  return { body: await res.json(), cache: res.headers.get('x-cache') };
}

async function getText(url: string) {
  const res = await fetch(url);
  assert.equal(res.status, 200, `GET ${url}`);
  return res.text();
}

type Setup = { dialect: 'sqlite' | 'mysql'; env: Record<string, string> } | undefined;

function freshnessSuite(label: string, setup: () => Setup) {
  describe(`freshness across two workers (${label})`, () => {
    let a: TestServer;
    let b: TestServer;
    let skip: string | undefined;

    before(async () => {
      const chosen = setup();
      if (chosen === undefined) { skip = `${label} unavailable`; return; }
      // One scripted writer makes ~150 writes in two seconds: far past the write limits, which are not what this tests.
      const env = { ...chosen.env, WRITE_LIMIT_PER_ACCOUNT: '100000' };
      a = await startTestServer(chosen.dialect, env);
      // B opens A's database (on MariaDB, A made it and A drops it).
      b = await startTestServer('sqlite', { ...env, DATABASE_URL: a.deps.config.DATABASE_URL });
    });
    after(async () => {
      await b?.close();
      await a?.close();
    });

    test('when articles, comments and favourites are written through A, then B\'s next anonymous read shows each one', async (t) => {
      if (skip) return t.skip(skip);
      const writer = apiClient(a.url);
      const { token } = await writer.register(`fresh${randomBytes(3).toString('hex')}`);
      let hits = 0;
      for (let round = 0; round < ROUNDS; round++) {
        // Warm B's cache (twice: the second read is a hit), so a stale entry is there to be served.
        await getJson(`${b.url}/api/articles?limit=5`);
        const warm = await getJson(`${b.url}/api/articles?limit=5`);
        if (warm.cache === 'HIT') hits++;

        const title = `Fresh round ${round} ${randomBytes(2).toString('hex')}`;
        const created = await writer.post('/articles', { article: { title, description: 'd', body: `body ${round}`, tagList: ['fresh'] } }, token);
        assert.equal(created.status, 201);
        const slug: string = created.body.article.slug;

        const list = await getJson(`${b.url}/api/articles?limit=5`);
        assert.equal(list.body.articles[0].title, title, `round ${round}: B's list shows the new article`);

        await getJson(`${b.url}/api/articles/${slug}`);
        const edited = await writer.put(`/articles/${slug}`, { article: { body: `edited ${round}` } }, token);
        assert.equal(edited.status, 200);
        assert.equal((await getJson(`${b.url}/api/articles/${slug}`)).body.article.body, `edited ${round}`, `round ${round}: B shows the edit`);

        await getJson(`${b.url}/api/articles/${slug}/comments`);
        assert.equal((await writer.post(`/articles/${slug}/comments`, { comment: { body: `comment ${round}` } }, token)).status, 201);
        const comments = await getJson(`${b.url}/api/articles/${slug}/comments`);
        assert.equal(comments.body.comments[0].body, `comment ${round}`, `round ${round}: B shows the comment`);

        assert.equal((await writer.post(`/articles/${slug}/favorite`, undefined, token)).status, 200);
        assert.equal((await getJson(`${b.url}/api/articles/${slug}`)).body.article.favoritesCount, 1, `round ${round}: B counts the favourite`);

        // And back the other way: a delete through B, read through A.
        if (round % 3 === 0) {
          await getJson(`${a.url}/api/articles?limit=5`);
          assert.equal((await apiClient(b.url).del(`/articles/${slug}`, token)).status, 204);
          const after = await getJson(`${a.url}/api/articles?limit=5`);
          assert.ok(!after.body.articles.some((x: { slug: string }) => x.slug === slug), `round ${round}: A no longer lists the deleted article`);
        }
      }
      assert.ok(hits > ROUNDS / 2, `the cache was exercised (${hits} hits in ${ROUNDS} warm reads)`);
    });

    test('when an article is written through A, then B\'s cached home page shows its title on the next request', async (t) => {
      if (skip) return t.skip(skip);
      const home = await fetch(`${b.url}/`);
      assert.equal(home.status, 200);
      assert.match(home.headers.get('content-type') ?? '', /html/);
      await home.arrayBuffer();
      const writer = apiClient(a.url);
      const { token } = await writer.register(`page${randomBytes(3).toString('hex')}`);
      for (let round = 0; round < 10; round++) {
        await getText(`${b.url}/`);
        await getText(`${b.url}/tag/paged`);
        const title = `Paged ${round} ${randomBytes(3).toString('hex')}`;
        assert.equal((await writer.post('/articles', { article: { title, description: 'd', body: 'b', tagList: ['paged'] } }, token)).status, 201);
        assert.ok((await getText(`${b.url}/`)).includes(title), `round ${round}: home page through B shows "${title}"`);
        assert.ok((await getText(`${b.url}/tag/paged`)).includes(title), `round ${round}: tag page through B shows "${title}"`);
      }
    });
  });
}

freshnessSuite('SQLite, generation file', () => ({ dialect: 'sqlite', env: {} }));

// Checked before any suite is declared, so no suite starts without knowing (and each fails under CI when its service is away).
const mysqlSkip = await needService('MariaDB', MYSQL_ADMIN_URL);
const redisSkip = mysqlSkip ?? (await needService('Redis', REDIS_TEST_URL));
freshnessSuite('MariaDB, Redis generation', () => (redisSkip ? undefined : { dialect: 'mysql', env: { REDIS_URL: REDIS_TEST_URL, REDIS_PREFIX: `quire-test-${randomBytes(4).toString('hex')}:` } }));
freshnessSuite('MariaDB, generation row', () => (mysqlSkip ? undefined : { dialect: 'mysql', env: {} }));
