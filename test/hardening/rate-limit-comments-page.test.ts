// Comment pagination (issue 19, item 5): the article page shows one page of comments, newest first,
// so a flood of them cannot grow it without bound; the API still lists them all, oldest first.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { COMMENTS_PER_PAGE } from '../../src/site/article.pages.js';
import { apiClient } from '../../support/client.js';
import { startTestServer } from '../../support/server.js';

test('when an article has more comments than a page holds, then its page shows the newest and links to older ones', async () => {
  const server = await startTestServer('sqlite');
  try {
    const api = apiClient(server.url);
    const author = await api.register('chatty');
    const slug = (await api.post('/articles', { article: { title: 'Much discussed', description: 'd', body: 'b' } }, author.token)).body.article.slug as string;
    const { db } = server.deps.database;
    const article = await db.selectFrom('articles').select('id').where('slug', '=', slug).executeTakeFirstOrThrow();
    const user = await db.selectFrom('users').select('id').where('username', '=', 'chatty').executeTakeFirstOrThrow();
    const total = COMMENTS_PER_PAGE * 2 + 7;
    // Written straight to the database: the write limits would (rightly) stop one account posting this many.
    const now = Date.now();
    await db.insertInto('comments').values(Array.from({ length: total }, (_, i) => ({
      article_id: article.id, author_id: user.id, body: `comment number ${i + 1}.`, created_at: now + i, updated_at: now + i,
    }))).execute();

    const shown = async (query = '') => {
      const res = await fetch(`${server.url}/article/${slug}${query}`);
      assert.equal(res.status, 200);
      const html = await res.text();
      return { html, numbers: [...html.matchAll(/comment number (\d+)\./g)].map((m) => Number(m[1])) };
    };
    const first = await shown();
    assert.match(first.html, new RegExp(`Comments \\(${total}\\)`));
    assert.deepEqual(first.numbers, Array.from({ length: COMMENTS_PER_PAGE }, (_, i) => total - i), 'the newest, newest first');
    assert.match(first.html, /href="\/article\/[^"?]+\?page=2"[^>]*rel="next"/);
    const last = await shown('?page=3');
    assert.deepEqual(last.numbers, [7, 6, 5, 4, 3, 2, 1]);
    assert.match(last.html, /rel="prev"/);
    assert.doesNotMatch(last.html, /rel="next"/);

    const listed = (await api.get(`/articles/${slug}/comments`)).body.comments as { body: string }[];
    assert.equal(listed.length, total, 'the API lists them all');
    assert.equal(listed[0]!.body, 'comment number 1.', 'oldest first');
  } finally {
    await server.close();
  }
});
