// SQL metacharacters in every string field and every query parameter are data: stored and
// returned literally, matched literally by filters and search, or refused with a clean 4xx.
import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { assertError, registerUser, uniq, type Suite } from '../harness.js';

export const SQL_PAYLOADS = [
  `' OR 1=1 --`,
  `"; DROP TABLE users; --`,
  `'); DELETE FROM articles; --`,
  '%',
  '_',
  '\\',
  `\\' OR '1'='1`,
  'a%b_c\\d!e[f]^',
  'nul\u0000byte',
];

const enc = encodeURIComponent;

/** What a text field keeps of a payload: C0 controls are dropped on the way in (issue 19), the rest is literal. */
// eslint-disable-next-line no-control-regex -- finding control characters is the point
const stored = (p: string) => p.replace(/[\u0000-\u0008\u000b\u000c\u000e-\u001f]/g, '');

export function injectionContract(s: Suite): void {
  describe('SQL metacharacters', () => {
    async function tableCounts() {
      const { db } = s.server.deps.database;
      const count = async (table: 'users' | 'articles' | 'comments' | 'article_tags' | 'favorites' | 'follows') =>
        Number((await db.selectFrom(table).select((eb) => eb.fn.countAll<number>().as('n')).executeTakeFirstOrThrow()).n);
      return { users: await count('users'), articles: await count('articles'), comments: await count('comments'), tags: await count('article_tags') };
    }

    test('when user fields hold SQL metacharacters, then they round-trip literally or get a 4xx', async () => {
      const before = await tableCounts();
      let accepted = 0;
      for (const p of SQL_PAYLOADS) {
        assertError(await s.api.post('/users', { user: { username: uniq(), email: p, password: 'password123' } }), 422, 'email', 'is invalid');
        const named = await s.api.post('/users', { user: { username: p, email: `${uniq()}@example.com`, password: 'password123' } });
        if (named.status === 201) {
          accepted++;
          assert.equal(named.body.user.username, p, 'a valid username is kept as sent');
        } else {
          assertError(named, 422, 'username');
        }
        const username = uniq('meta');
        const password = `pw${p}pw123`;
        const reg = await s.api.post('/users', { user: { username, email: `${username}@example.com`, password } });
        assert.equal(reg.status, 201, reg.text);
        assert.equal((await s.api.post('/users/login', { user: { email: `${username}@example.com`, password } })).status, 200, 'the literal password signs in');
        assertError(await s.api.post('/users/login', { user: { email: `${username}@example.com`, password: `' OR 1=1 --` } }), 401, 'credentials');
        assertError(await s.api.post('/users/login', { user: { email: p, password: p } }), 401, 'credentials');
        const put = await s.api.put('/user', { user: { bio: p } }, reg.body.user.token);
        assert.equal(put.body.user.bio, stored(p));
        assert.equal((await s.api.get('/user', reg.body.user.token)).body.user.bio, stored(p));
        assert.equal((await s.api.get(`/profiles/${username}`)).body.profile.bio, stored(p));
        assertError(await s.api.put('/user', { user: { image: p } }, reg.body.user.token), 422, 'image');
      }
      const after = await tableCounts();
      assert.equal(after.users, before.users + SQL_PAYLOADS.length + accepted, 'every registration that was accepted is there, none lost');
    });

    test('when article, tag and comment fields hold SQL metacharacters, then they round-trip literally', async () => {
      const author = await registerUser(s.api);
      for (const p of SQL_PAYLOADS) {
        const created = await s.api.post('/articles', { article: { title: p, description: p, body: p, tagList: [p] } }, author.token);
        assert.equal(created.status, 201, created.text);
        const read = (await s.api.get(`/articles/${enc(created.body.article.slug)}`)).body.article;
        assert.deepEqual([read.title, read.description, read.body, read.tagList], [stored(p), stored(p), stored(p), [stored(p)]]);
        const comment = await s.api.post(`/articles/${enc(read.slug)}/comments`, { comment: { body: p } }, author.token);
        assert.equal(comment.status, 201, comment.text);
        assert.deepEqual((await s.api.get(`/articles/${enc(read.slug)}/comments`)).body.comments.map((c: { body: string }) => c.body), [stored(p)]);
        const updated = await s.api.put(`/articles/${enc(read.slug)}`, { article: { title: `${p} again`, tagList: [p, `${p}2`] } }, author.token);
        assert.equal(updated.status, 200, updated.text);
        assert.equal(updated.body.article.title, `${stored(p)} again`);
        assert.deepEqual(updated.body.article.tagList, [stored(p), `${stored(p)}2`]);
      }
      const tags: string[] = (await s.api.get('/tags')).body.tags;
      for (const p of SQL_PAYLOADS) assert.ok(tags.includes(stored(p)), `tag ${JSON.stringify(p)} listed`);
    });

    test('when query parameters and path segments hold SQL metacharacters, then filters and search match literally', async () => {
      const author = await registerUser(s.api);
      const titles = new Map<string, string>();
      for (const p of SQL_PAYLOADS) {
        const res = await s.api.post('/articles', { article: { title: `Title ${p} end`, description: 'desc', body: 'body', tagList: [p] } }, author.token);
        titles.set(res.body.article.slug, res.body.article.title);
      }
      await s.api.post('/articles', { article: { title: 'plain control', description: 'desc', body: 'body', tagList: ['plain'] } }, author.token);
      const before = await tableCounts();
      for (const p of SQL_PAYLOADS) {
        const byTag = await s.api.get(`/articles?tag=${enc(p)}&author=${author.username}`);
        assert.deepEqual(byTag.body.articles.map((a: { title: string }) => a.title), [`Title ${stored(p)} end`], `tag=${p}`);
        const expected = [...titles.values()].filter((t) => t.toLowerCase().includes(p.toLowerCase())).reverse();
        const byQ = await s.api.get(`/articles?q=${enc(p)}&author=${author.username}`);
        assert.equal(byQ.status, 200, byQ.text);
        assert.deepEqual(byQ.body.articles.map((a: { title: string }) => a.title), expected, `q=${p}`);
        assert.equal(byQ.body.articlesCount, expected.length);
        for (const name of ['author', 'favorited']) {
          assert.deepEqual((await s.api.get(`/articles?${name}=${enc(p)}`)).body, { articles: [], articlesCount: 0 }, `${name}=${p}`);
        }
        assertError(await s.api.get(`/articles?limit=${enc(p)}`), 422, 'limit');
        assertError(await s.api.get(`/articles?offset=${enc(p)}`), 422, 'offset');
        assertError(await s.api.get(`/articles/${enc(p)}`), 404, 'article');
        assertError(await s.api.get(`/articles/${enc(p)}/comments`), 404, 'article');
        const profile = await s.api.get(`/profiles/${enc(p)}`);
        if (profile.status === 200) assert.equal(profile.body.profile.username, p, 'only a user with exactly that name');
        else assertError(profile, 404, 'profile');
        assertError(await s.api.del(`/articles/${enc(p)}`, author.token), 404, 'article');
        const [firstSlug] = titles.keys();
        assertError(await s.api.del(`/articles/${firstSlug}/comments/${enc(p)}`, author.token), 404, 'comment');
      }
      assert.deepEqual(await tableCounts(), before, 'reads changed nothing');
      assert.equal((await s.api.get(`/articles?author=${author.username}`)).body.articlesCount, SQL_PAYLOADS.length + 1);
    });
  });
}
