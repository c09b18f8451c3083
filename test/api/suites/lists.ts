// The contract for article lists: filters, the feed, pagination over articles (not joined rows),
// totals, and list items without a body.
import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { assertError, createArticle, registerUser, uniq, type Suite } from '../harness.js';

const listItemKeys = ['author', 'createdAt', 'description', 'favorited', 'favoritesCount', 'slug', 'tagList', 'title', 'updatedAt'];

export function listContract(s: Suite): void {
  describe('article lists', () => {
    test('when articles with five tags each are paged, then limit and offset count articles and articlesCount is the total', async () => {
      const author = await registerUser(s.api);
      const created: string[] = [];
      for (let i = 0; i < 7; i++) {
        const tags = ['e', 'd', 'c', 'b', 'a'].map((t) => `${t}${i}`);
        created.push((await createArticle(s.api, author.token, { title: `Paged ${i} ${uniq()}`, tagList: tags })).slug);
      }
      const newestFirst = created.reverse();
      const seen: string[] = [];
      for (const offset of [0, 3, 6]) {
        const res = await s.api.get(`/articles?author=${author.username}&limit=3&offset=${offset}`);
        assert.equal(res.status, 200, res.text);
        assert.equal(res.body.articlesCount, 7, 'the total, not the page size');
        assert.equal(res.body.articles.length, offset === 6 ? 1 : 3);
        for (const item of res.body.articles) {
          assert.deepEqual(Object.keys(item).sort(), listItemKeys, 'a list item has no body');
          assert.equal(item.tagList.length, 5);
          assert.deepEqual(item.tagList, [...item.tagList].sort());
          seen.push(item.slug);
        }
      }
      assert.deepEqual(seen, newestFirst, 'newest first, every article exactly once');
      const past = await s.api.get(`/articles?author=${author.username}&offset=7`);
      assert.deepEqual(past.body, { articles: [], articlesCount: 7 });
      const all = await s.api.get(`/articles?author=${author.username}`);
      assert.equal(all.body.articles.length, 7, 'the default limit (20) holds all seven');
    });

    test('when a filtered list is read page by page, then the pages are the slices of the whole list, in order', async () => {
      const [author, fan] = [await registerUser(s.api), await registerUser(s.api)];
      const tag = uniq('paged');
      const word = uniq('needle');
      for (let i = 0; i < 7; i++) {
        const a = await createArticle(s.api, author.token, { title: `Filtered ${i} ${uniq()}`, body: `a ${word} in the body`, tagList: [tag] });
        if (i % 3 !== 1) await s.api.post(`/articles/${a.slug}/favorite`, undefined, fan.token);
      }
      for (const filter of [`tag=${tag}`, `favorited=${fan.username}`, `q=${word}`, `tag=${tag}&favorited=${fan.username}`]) {
        const whole = await s.api.get(`/articles?${filter}&limit=100`);
        assert.equal(whole.status, 200, whole.text);
        const slugs = whole.body.articles.map((x: { slug: string }) => x.slug);
        for (const offset of [1, 2, 4]) {
          const page = await s.api.get(`/articles?${filter}&limit=2&offset=${offset}`);
          assert.equal(page.status, 200, page.text);
          assert.deepEqual(page.body.articles.map((x: { slug: string }) => x.slug), slugs.slice(offset, offset + 2), `${filter}, offset ${offset}`);
          assert.equal(page.body.articlesCount, slugs.length);
        }
      }
    });

    test('when the list is filtered by tag, author or favorited, then only matching articles count', async () => {
      const [a, b, fan] = [await registerUser(s.api), await registerUser(s.api), await registerUser(s.api)];
      const tag = uniq('tag');
      const a1 = await createArticle(s.api, a.token, { tagList: [tag, 'common'] });
      const b1 = await createArticle(s.api, b.token, { tagList: [tag] });
      const b2 = await createArticle(s.api, b.token, { tagList: ['common'] });
      const slugs = async (query: string) => {
        const res = await s.api.get(`/articles?${query}`);
        assert.equal(res.status, 200, res.text);
        assert.equal(res.body.articlesCount, res.body.articles.length);
        return res.body.articles.map((x: { slug: string }) => x.slug);
      };
      assert.deepEqual(await slugs(`tag=${tag}`), [b1.slug, a1.slug]);
      assert.deepEqual(await slugs(`author=${b.username}`), [b2.slug, b1.slug]);
      assert.deepEqual(await slugs(`tag=${tag}&author=${a.username}`), [a1.slug]);
      await s.api.post(`/articles/${a1.slug}/favorite`, undefined, fan.token);
      await s.api.post(`/articles/${b2.slug}/favorite`, undefined, fan.token);
      assert.deepEqual(await slugs(`favorited=${fan.username}`), [b2.slug, a1.slug]);
      assert.deepEqual(await slugs(`favorited=${a.username}`), []);
      assert.deepEqual(await slugs(`author=${uniq('nobody')}`), []);
      assert.deepEqual(await slugs(`tag=${uniq('none')}`), []);
    });

    test('when a tag is taken off one article and another is deleted, then the tag list and its articlesCount drop both', async () => {
      const author = await registerUser(s.api);
      const tag = uniq('tag');
      const [kept, retagged, deleted] = [
        await createArticle(s.api, author.token, { tagList: [tag] }),
        await createArticle(s.api, author.token, { tagList: [tag, 'other'] }),
        await createArticle(s.api, author.token, { tagList: [tag] }),
      ];
      assert.equal((await s.api.get(`/articles?tag=${tag}`)).body.articlesCount, 3);
      assert.equal((await s.api.put(`/articles/${retagged.slug}`, { article: { tagList: ['other'] } }, author.token)).status, 200);
      assert.equal((await s.api.del(`/articles/${deleted.slug}`, author.token)).status, 204);
      const res = await s.api.get(`/articles?tag=${tag}`);
      assert.deepEqual(res.body.articles.map((x: { slug: string }) => x.slug), [kept.slug]);
      assert.equal(res.body.articlesCount, 1);
    });

    test('when the list is searched with q, then title, description and body match without regard to case', async () => {
      const author = await registerUser(s.api);
      const word = uniq('Keyword');
      const inTitle = await createArticle(s.api, author.token, { title: `About ${word} today` });
      const inDescription = await createArticle(s.api, author.token, { description: `all on ${word.toUpperCase()}` });
      const inBody = await createArticle(s.api, author.token, { body: `deep in the text: ${word.toLowerCase()}.` });
      await createArticle(s.api, author.token, { title: 'Nothing to see' });
      const res = await s.api.get(`/articles?q=${encodeURIComponent(word.toLowerCase())}`);
      assert.equal(res.status, 200, res.text);
      assert.equal(res.body.articlesCount, 3);
      assert.deepEqual(res.body.articles.map((x: { slug: string }) => x.slug), [inBody.slug, inDescription.slug, inTitle.slug]);
    });

    test('when a reader lists articles, then favorited and following are relative to that reader', async () => {
      const [author, reader] = [await registerUser(s.api), await registerUser(s.api)];
      const art = await createArticle(s.api, author.token);
      await s.api.post(`/profiles/${author.username}/follow`, undefined, reader.token);
      await s.api.post(`/articles/${art.slug}/favorite`, undefined, reader.token);
      const mine = (await s.api.get(`/articles?author=${author.username}`, reader.token)).body.articles[0];
      assert.equal(mine.favorited, true);
      assert.equal(mine.favoritesCount, 1);
      assert.equal(mine.author.following, true);
      const anon = (await s.api.get(`/articles?author=${author.username}`)).body.articles[0];
      assert.equal(anon.favorited, false);
      assert.equal(anon.favoritesCount, 1);
      assert.equal(anon.author.following, false);
    });

    test('when a user reads the feed, then it holds only followed authors\' articles, newest first, paged', async () => {
      const [followed, unfollowed, reader] = [await registerUser(s.api), await registerUser(s.api), await registerUser(s.api)];
      const f1 = await createArticle(s.api, followed.token);
      await createArticle(s.api, unfollowed.token);
      const f2 = await createArticle(s.api, followed.token, { tagList: ['a', 'b', 'c'] });
      assert.deepEqual((await s.api.get('/articles/feed', reader.token)).body, { articles: [], articlesCount: 0 });
      await s.api.post(`/profiles/${followed.username}/follow`, undefined, reader.token);
      const res = await s.api.get('/articles/feed', reader.token);
      assert.equal(res.status, 200, res.text);
      assert.equal(res.body.articlesCount, 2);
      assert.deepEqual(res.body.articles.map((x: { slug: string }) => x.slug), [f2.slug, f1.slug]);
      assert.equal(res.body.articles[0].author.following, true);
      assert.equal(res.body.articles[0].body, undefined);
      const page = await s.api.get('/articles/feed?limit=1&offset=1', reader.token);
      assert.deepEqual(page.body.articles.map((x: { slug: string }) => x.slug), [f1.slug]);
      assert.equal(page.body.articlesCount, 2);
      assertError(await s.api.get('/articles/feed'), 401, 'token', 'is missing');
    });
  });
}
