// Concurrent writes through the API stay correct: favourite counts, follows, slugs, unique names.
// Counts are checked against the rows themselves, read straight from the database.
import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { createArticle, registerUser, seedUsers, uniq, type Suite, type Writer } from '../harness.js';
import { assertTagListsMatchRows } from '../../../support/tag-lists.js';

type Action = 'favorite' | 'unfavorite';

export function concurrencyContract(s: Suite): void {
  describe('concurrent writes', () => {
    async function favoriters(slug: string): Promise<string[]> {
      const rows = await s.server.deps.database.db.selectFrom('favorites')
        .innerJoin('articles', 'articles.id', 'favorites.article_id')
        .innerJoin('users', 'users.id', 'favorites.user_id')
        .select('users.username').where('articles.slug', '=', slug).execute();
      return rows.map((r) => r.username).sort();
    }

    test('when 50 users favourite and unfavourite one article at once, then favoritesCount equals the rows and the last actions', async () => {
      const author = await registerUser(s.api);
      const art = await createArticle(s.api, author.token);
      const users = await seedUsers(s, 50, 'fan');
      // Each user's own actions run in order; all users run at once. Lengths 1–4, some starting with
      // an unfavourite, so the final state is a mix.
      const plans = users.map((_, i) => Array.from({ length: 1 + (i % 4) }, (_, k): Action =>
        ((i % 3 === 0 ? 1 : 0) + k) % 2 === 0 ? 'favorite' : 'unfavorite'));
      const send = (user: Writer, action: Action) => action === 'favorite'
        ? s.api.post(`/articles/${art.slug}/favorite`, undefined, user.token)
        : s.api.del(`/articles/${art.slug}/favorite`, user.token);

      // First, everyone sends the same favourite twice at once: a race on one row.
      const doubled = await Promise.all(users.flatMap((u) => [send(u, 'favorite'), send(u, 'favorite')]));
      assert.deepEqual([...new Set(doubled.map((r) => r.status))], [200]);
      assert.equal((await favoriters(art.slug)).length, 50);

      const results = await Promise.all(users.map(async (user, i) => {
        const statuses: number[] = [];
        for (const action of plans[i]!) statuses.push((await send(user, action)).status);
        return statuses;
      }));
      assert.deepEqual([...new Set(results.flat())], [200], 'every request succeeded');

      const expected = users.filter((_, i) => plans[i]!.at(-1) === 'favorite').map((u) => u.username).sort();
      assert.ok(expected.length > 0 && expected.length < 50, 'the plans end in a mix');
      const rows = await favoriters(art.slug);
      assert.deepEqual(rows, expected, 'the rows are exactly the users whose last action was favourite');
      const res = await s.api.get(`/articles/${art.slug}`);
      assert.equal(res.body.article.favoritesCount, rows.length);
      const listed = await s.api.get(`/articles?author=${author.username}`);
      assert.equal(listed.body.articles[0].favoritesCount, rows.length);
    });

    test('when 10 articles with one title are created at once, then all get distinct slugs', async () => {
      const author = await registerUser(s.api);
      const title = uniq('Racing Title ');
      const responses = await Promise.all(Array.from({ length: 10 }, () =>
        s.api.post('/articles', { article: { title, description: 'd', body: 'b', tagList: ['race'] } }, author.token)));
      assert.deepEqual(responses.map((r) => r.status), Array(10).fill(201));
      const slugs = new Set(responses.map((r) => r.body.article.slug as string));
      assert.equal(slugs.size, 10);
      assert.equal((await s.api.get(`/articles?author=${author.username}`)).body.articlesCount, 10);
    });

    test('when articles sharing tags are created, retagged and deleted at once, then tag_counts and the article total equal counts of the rows', async () => {
      const writers = await seedUsers(s, 4, 'tagger');
      const tag = (n: number) => `${s.dialect}-shared-${n}`;
      const created = await Promise.all(Array.from({ length: 12 }, (_, i) => s.api.post('/articles', {
        article: { title: uniq('Tagged '), description: 'd', body: 'b', tagList: [tag(i % 3), tag((i + 1) % 3), tag(9)].reverse() },
      }, writers[i % 4]!.token)));
      assert.deepEqual(created.map((r) => r.status), Array(12).fill(201));
      const changes = await Promise.all(created.map((r, i) => {
        const { slug } = r.body.article as { slug: string };
        const token = writers[i % 4]!.token;
        if (i % 3 === 0) return s.api.del(`/articles/${slug}`, token);
        return s.api.put(`/articles/${slug}`, { article: { tagList: i % 3 === 1 ? [tag(4)] : [tag(0), tag(4), tag(5)] } }, token);
      }));
      changes.forEach((r, i) => assert.equal(r.status, i % 3 === 0 ? 204 : 200, r.text));
      const { db } = s.server.deps.database;
      const truth = await db.selectFrom('article_tags').select((eb) => ['tag', eb.fn.countAll<number>().as('n')]).groupBy('tag').execute();
      const counted = await db.selectFrom('tag_counts').select(['tag', 'articles']).where('articles', '>', 0).execute();
      const asMap = (rows: { tag: string; n: number | string }[]) => Object.fromEntries(rows.map((r) => [r.tag, Number(r.n)]).sort());
      assert.deepEqual(asMap(counted.map((r) => ({ tag: r.tag, n: r.articles }))), asMap(truth));
      assert.equal(asMap(truth)[tag(4)], 8, 'eight retagged articles carry the new tag');
      await assertTagListsMatchRows(db);
      const { n } = await db.selectFrom('articles').select((eb) => eb.fn.countAll<number>().as('n')).executeTakeFirstOrThrow();
      const total = await db.selectFrom('site_totals').select('value').where('name', '=', 'articles').executeTakeFirstOrThrow();
      assert.equal(Number(total.value), Number(n), 'site_totals counts every article, after concurrent creates and deletes');
      assert.equal((await s.api.get('/articles?limit=1')).body.articlesCount, Number(n), 'the unfiltered list reports it');
      const listed: string[] = (await s.api.get('/tags')).body.tags;
      assert.ok(listed.indexOf(tag(4)) < listed.indexOf(tag(5)), 'the more used tag is listed first');
    });

    test('when 20 users follow one author twice at once, then there are 20 follow rows and no errors', async () => {
      const star = await registerUser(s.api);
      const fans = await seedUsers(s, 20, 'follower');
      const responses = await Promise.all(fans.flatMap((f) => [1, 2].map(() =>
        s.api.post(`/profiles/${star.username}/follow`, undefined, f.token))));
      assert.deepEqual([...new Set(responses.map((r) => r.status))], [200]);
      const row = await s.server.deps.database.db.selectFrom('follows')
        .innerJoin('users', 'users.id', 'follows.followed_id')
        .select((eb) => eb.fn.countAll<number>().as('n')).where('users.username', '=', star.username)
        .executeTakeFirstOrThrow();
      assert.equal(Number(row.n), 20);
    });

    test('when five people register one username at once, then exactly one gets 201 and the rest 409', async () => {
      const username = uniq('race');
      const responses = await Promise.all(Array.from({ length: 5 }, (_, i) =>
        s.api.post('/users', { user: { username, email: `${username}.${i}@example.com`, password: 'password123' } })));
      assert.deepEqual(responses.map((r) => r.status).sort(), [201, 409, 409, 409, 409]);
      for (const r of responses.filter((x) => x.status === 409)) assert.deepEqual(r.body, { errors: { username: ['has already been taken'] } });
    });
  });
}
