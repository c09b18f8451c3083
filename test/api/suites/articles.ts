// The contract for articles: create, read, update (with slug change), delete, and the rules of
// ownership, slugs and tags.
import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { assertError, createArticle, registerUser, uniq, type Suite } from '../harness.js';

const isoTime = /^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{3}Z$/;

export function articleContract(s: Suite): void {
  describe('articles', () => {
    test('when a writer creates an article, then 201 returns the Article shape with tagList sorted and deduplicated', async () => {
      const author = await registerUser(s.api);
      const title = uniq('How to Train Your Dragon ');
      const res = await s.api.post('/articles', {
        article: { title, description: 'Ever wonder how?', body: 'You have to *believe*', tagList: ['zebra', 'dragons', 'Apple', 'dragons'] },
      }, author.token);
      assert.equal(res.status, 201, res.text);
      const a = res.body.article;
      assert.deepEqual(Object.keys(a).sort(), ['author', 'body', 'createdAt', 'description', 'favorited', 'favoritesCount', 'slug', 'tagList', 'title', 'updatedAt']);
      assert.equal(a.slug, title.toLowerCase().replaceAll(' ', '-'));
      assert.equal(a.title, title);
      assert.equal(a.body, 'You have to *believe*');
      assert.deepEqual(a.tagList, ['Apple', 'dragons', 'zebra']);
      assert.match(a.createdAt, isoTime);
      assert.match(a.updatedAt, isoTime);
      assert.equal(a.favorited, false);
      assert.equal(a.favoritesCount, 0);
      assert.deepEqual(a.author, { username: author.username, bio: null, image: null, following: false });
    });

    test('when article fields are missing or blank, then 422 says which; without a token, 401', async () => {
      const author = await registerUser(s.api);
      const res = await s.api.post('/articles', { article: { title: '   ' } }, author.token);
      assertError(res, 422, 'title', "can't be blank");
      assertError(res, 422, 'description', "can't be blank");
      assertError(res, 422, 'body', "can't be blank");
      assertError(await s.api.post('/articles', { article: { title: 't', description: 'd', body: 'b', tagList: ['ok', ''] } }, author.token), 422, 'tagList');
      assertError(await s.api.post('/articles', { article: { title: 't', description: 'd', body: 'b' } }), 401, 'token', 'is missing');
    });

    test('when a second article gets the same title, by create or update, then it gets a distinct slug and all are readable', async () => {
      const [a, b] = [await registerUser(s.api), await registerUser(s.api)];
      const title = uniq('Same Title ');
      const first = await createArticle(s.api, a.token, { title });
      const second = await createArticle(s.api, b.token, { title });
      const third = await createArticle(s.api, a.token, { title });
      assert.equal(new Set([first.slug, second.slug, third.slug]).size, 3);
      for (const slug of [second.slug, third.slug]) assert.ok(slug.startsWith(`${first.slug}-`), slug);
      for (const art of [first, second, third]) assert.equal((await s.api.get(`/articles/${art.slug}`)).body.article.slug, art.slug);
      const renamed = await s.api.put(`/articles/${(await createArticle(s.api, b.token)).slug}`, { article: { title } }, b.token);
      assert.equal(renamed.status, 200, renamed.text);
      assert.ok(![first.slug, second.slug, third.slug].includes(renamed.body.article.slug), 'a title changed to a taken one gets its own slug');
    });

    test('when anyone reads an article by slug, then 200; an unknown slug is 404', async () => {
      const author = await registerUser(s.api);
      const created = await createArticle(s.api, author.token, { tagList: ['b', 'a'] });
      const res = await s.api.get(`/articles/${created.slug}`);
      assert.equal(res.status, 200);
      assert.deepEqual(res.body.article, created);
      assertError(await s.api.get(`/articles/${uniq('no-such-slug-')}`), 404, 'article', 'not found');
    });

    test('when the author changes the title, then the slug follows and the old slug is gone', async () => {
      const author = await registerUser(s.api);
      const created = await createArticle(s.api, author.token, { tagList: ['old'] });
      const title = uniq('A Brand New Title ');
      const res = await s.api.put(`/articles/${created.slug}`, { article: { title, body: 'new body', description: 'new description', tagList: ['y', 'x'] } }, author.token);
      assert.equal(res.status, 200, res.text);
      const a = res.body.article;
      assert.equal(a.slug, title.toLowerCase().replaceAll(' ', '-'));
      assert.equal(a.title, title);
      assert.equal(a.body, 'new body');
      assert.equal(a.description, 'new description');
      assert.deepEqual(a.tagList, ['x', 'y']);
      assert.ok(a.updatedAt >= created.createdAt);
      assertError(await s.api.get(`/articles/${created.slug}`), 404, 'article');
      assert.equal((await s.api.get(`/articles/${a.slug}`)).status, 200);
    });

    test('when the author changes only the body, then the slug stays', async () => {
      const author = await registerUser(s.api);
      const created = await createArticle(s.api, author.token);
      const res = await s.api.put(`/articles/${created.slug}`, { article: { body: 'only the body', title: created.title } }, author.token);
      assert.equal(res.status, 200, res.text);
      assert.equal(res.body.article.slug, created.slug);
      assert.equal(res.body.article.body, 'only the body');
    });

    test('when someone else updates or deletes an article, then 403 and it is unchanged', async () => {
      const [author, other] = [await registerUser(s.api), await registerUser(s.api)];
      const created = await createArticle(s.api, author.token);
      assertError(await s.api.put(`/articles/${created.slug}`, { article: { title: 'mine now' } }, other.token), 403, 'article', 'forbidden');
      assertError(await s.api.del(`/articles/${created.slug}`, other.token), 403, 'article', 'forbidden');
      assert.deepEqual((await s.api.get(`/articles/${created.slug}`)).body.article, created);
    });

    test('when an update or delete names an unknown slug, has no token, or blanks a field, then 404, 401, 422', async () => {
      const author = await registerUser(s.api);
      const created = await createArticle(s.api, author.token);
      const ghost = uniq('ghost-');
      assertError(await s.api.put(`/articles/${ghost}`, { article: { title: 'x' } }, author.token), 404, 'article', 'not found');
      assertError(await s.api.del(`/articles/${ghost}`, author.token), 404, 'article', 'not found');
      assertError(await s.api.put(`/articles/${created.slug}`, { article: { title: 'x' } }), 401, 'token', 'is missing');
      assertError(await s.api.del(`/articles/${created.slug}`), 401, 'token', 'is missing');
      assertError(await s.api.put(`/articles/${created.slug}`, { article: { title: '' } }, author.token), 422, 'title', "can't be blank");
    });

    test('when the author deletes an article, then 204 with no body and it is gone', async () => {
      const author = await registerUser(s.api);
      const created = await createArticle(s.api, author.token);
      const res = await s.api.del(`/articles/${created.slug}`, author.token);
      assert.equal(res.status, 204);
      assert.equal(res.text, '');
      assertError(await s.api.get(`/articles/${created.slug}`), 404, 'article', 'not found');
      assertError(await s.api.del(`/articles/${created.slug}`, author.token), 404, 'article');
    });

    test('when tags are listed, then only tags that still belong to an article appear', async () => {
      const author = await registerUser(s.api);
      const [kept, dropped, deleted] = [uniq('kept'), uniq('dropped'), uniq('deleted')];
      const first = await createArticle(s.api, author.token, { tagList: [kept, dropped] });
      const second = await createArticle(s.api, author.token, { tagList: [deleted] });
      let tags: string[] = (await s.api.get('/tags')).body.tags;
      for (const tag of [kept, dropped, deleted]) assert.ok(tags.includes(tag), `${tag} listed`);
      await s.api.put(`/articles/${first.slug}`, { article: { tagList: [kept] } }, author.token);
      await s.api.del(`/articles/${second.slug}`, author.token);
      const res = await s.api.get('/tags');
      assert.equal(res.status, 200);
      tags = res.body.tags;
      assert.ok(tags.includes(kept));
      assert.ok(!tags.includes(dropped), 'a tag removed from its only article is gone');
      assert.ok(!tags.includes(deleted), 'a tag of a deleted article is gone');
      assert.equal(new Set(tags).size, tags.length, 'no duplicates');
    });

    test('when an article row was written without its tag list (by the release before it existed), then reads fall back to its tag rows', async () => {
      const author = await registerUser(s.api);
      const [a, b] = [uniq('zz-fallback'), uniq('aa-fallback')];
      const article = await createArticle(s.api, author.token, { tagList: [a, b] });
      const { db } = s.server.deps.database;
      await db.updateTable('articles').set({ tag_list: null }).where('slug', '=', article.slug).execute();
      assert.deepEqual((await s.api.get(`/articles/${article.slug}`)).body.article.tagList, [b, a]);
      const listed = (await s.api.get(`/articles?author=${author.username}`)).body.articles;
      assert.deepEqual(listed.map((x: { tagList: string[] }) => x.tagList), [[b, a]]);
      await s.api.put(`/articles/${article.slug}`, { article: { tagList: [a, b, a] } }, author.token);
      const row = await db.selectFrom('articles').select('tag_list').where('slug', '=', article.slug).executeTakeFirstOrThrow();
      assert.equal(row.tag_list, JSON.stringify([b, a]), 'the next retag writes the list again, sorted and without repeats');
    });
  });
}
