// The contract for comments and favourites.
import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { assertError, createArticle, registerUser, uniq, type Suite } from '../harness.js';

export function commentContract(s: Suite): void {
  describe('comments', () => {
    test('when users comment, then 201 returns the Comment shape and the list is oldest first', async () => {
      const [author, reader] = [await registerUser(s.api), await registerUser(s.api)];
      const art = await createArticle(s.api, author.token);
      const bodies = ['first!', 'second', 'third'];
      const ids: number[] = [];
      for (const [i, body] of bodies.entries()) {
        const res = await s.api.post(`/articles/${art.slug}/comments`, { comment: { body } }, i === 1 ? author.token : reader.token);
        assert.equal(res.status, 201, res.text);
        const c = res.body.comment;
        assert.deepEqual(Object.keys(c).sort(), ['author', 'body', 'createdAt', 'id', 'updatedAt']);
        assert.equal(typeof c.id, 'number');
        assert.equal(c.body, body);
        assert.match(c.createdAt, /Z$/);
        ids.push(c.id);
      }
      const res = await s.api.get(`/articles/${art.slug}/comments`);
      assert.equal(res.status, 200);
      assert.deepEqual(res.body.comments.map((c: { body: string }) => c.body), bodies);
      assert.deepEqual(res.body.comments.map((c: { id: number }) => c.id), ids);
      assert.deepEqual(res.body.comments[1].author, { username: author.username, bio: null, image: null, following: false });
    });

    test('when the reader follows a commenter, then the comment author says following', async () => {
      const [author, reader] = [await registerUser(s.api), await registerUser(s.api)];
      const art = await createArticle(s.api, author.token);
      await s.api.post(`/articles/${art.slug}/comments`, { comment: { body: 'hi' } }, author.token);
      await s.api.post(`/profiles/${author.username}/follow`, undefined, reader.token);
      assert.equal((await s.api.get(`/articles/${art.slug}/comments`, reader.token)).body.comments[0].author.following, true);
    });

    test('when a comment is blank, has no token, or names an unknown article, then 422, 401, 404', async () => {
      const author = await registerUser(s.api);
      const art = await createArticle(s.api, author.token);
      assertError(await s.api.post(`/articles/${art.slug}/comments`, { comment: { body: ' ' } }, author.token), 422, 'body', "can't be blank");
      assertError(await s.api.post(`/articles/${art.slug}/comments`, {}, author.token), 422, 'comment', "can't be blank");
      assertError(await s.api.post(`/articles/${art.slug}/comments`, { comment: { body: 'x' } }), 401, 'token', 'is missing');
      const ghost = uniq('ghost-');
      assertError(await s.api.post(`/articles/${ghost}/comments`, { comment: { body: 'x' } }, author.token), 404, 'article', 'not found');
      assertError(await s.api.get(`/articles/${ghost}/comments`), 404, 'article', 'not found');
    });

    test('when the comment author deletes it, then 204 and it is gone; anyone else gets 403', async () => {
      const [author, commenter] = [await registerUser(s.api), await registerUser(s.api)];
      const art = await createArticle(s.api, author.token);
      const { id } = (await s.api.post(`/articles/${art.slug}/comments`, { comment: { body: 'mine' } }, commenter.token)).body.comment;
      assertError(await s.api.del(`/articles/${art.slug}/comments/${id}`, author.token), 403, 'comment', 'forbidden');
      assertError(await s.api.del(`/articles/${art.slug}/comments/${id}`), 401, 'token', 'is missing');
      const res = await s.api.del(`/articles/${art.slug}/comments/${id}`, commenter.token);
      assert.equal(res.status, 204);
      assert.equal(res.text, '');
      assert.deepEqual((await s.api.get(`/articles/${art.slug}/comments`)).body, { comments: [] });
      assertError(await s.api.del(`/articles/${art.slug}/comments/${id}`, commenter.token), 404, 'comment', 'not found');
    });

    test('when a delete names a comment of another article or a non-number id, then 404', async () => {
      const author = await registerUser(s.api);
      const [one, two] = [await createArticle(s.api, author.token), await createArticle(s.api, author.token)];
      const { id } = (await s.api.post(`/articles/${one.slug}/comments`, { comment: { body: 'x' } }, author.token)).body.comment;
      assertError(await s.api.del(`/articles/${two.slug}/comments/${id}`, author.token), 404, 'comment', 'not found');
      assertError(await s.api.del(`/articles/${one.slug}/comments/abc`, author.token), 404, 'comment', 'not found');
      assertError(await s.api.del(`/articles/${one.slug}/comments/99999999999999999999`, author.token), 404, 'comment');
      assert.equal((await s.api.get(`/articles/${one.slug}/comments`)).body.comments.length, 1);
    });
  });

  describe('favourites', () => {
    test('when users favourite and unfavourite, then favorited and favoritesCount follow, idempotently', async () => {
      const [author, a, b] = [await registerUser(s.api), await registerUser(s.api), await registerUser(s.api)];
      const art = await createArticle(s.api, author.token);
      const fav = (token: string) => s.api.post(`/articles/${art.slug}/favorite`, undefined, token);
      const unfav = (token: string) => s.api.del(`/articles/${art.slug}/favorite`, token);
      const expect = async (res: Awaited<ReturnType<typeof fav>>, favorited: boolean, count: number) => {
        assert.equal(res.status, 200, res.text);
        assert.equal(res.body.article.favorited, favorited);
        assert.equal(res.body.article.favoritesCount, count);
        assert.equal(res.body.article.slug, art.slug);
        assert.equal(typeof res.body.article.body, 'string');
      };
      await expect(await fav(a.token), true, 1);
      await expect(await fav(a.token), true, 1);
      await expect(await fav(b.token), true, 2);
      await expect(await unfav(a.token), false, 1);
      await expect(await unfav(a.token), false, 1);
      assert.equal((await s.api.get(`/articles/${art.slug}`, b.token)).body.article.favorited, true);
      assert.equal((await s.api.get(`/articles/${art.slug}`, a.token)).body.article.favorited, false);
      assert.equal((await s.api.get(`/articles/${art.slug}`)).body.article.favoritesCount, 1);
    });

    test('when favouriting without a token or an unknown slug, then 401 or 404', async () => {
      const user = await registerUser(s.api);
      const art = await createArticle(s.api, user.token);
      assertError(await s.api.post(`/articles/${art.slug}/favorite`), 401, 'token', 'is missing');
      assertError(await s.api.del(`/articles/${art.slug}/favorite`), 401, 'token', 'is missing');
      const ghost = uniq('ghost-');
      assertError(await s.api.post(`/articles/${ghost}/favorite`, undefined, user.token), 404, 'article', 'not found');
      assertError(await s.api.del(`/articles/${ghost}/favorite`, user.token), 404, 'article', 'not found');
    });
  });
}
