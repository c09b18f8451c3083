// An article deleted while it is being retagged, commented or favourited: the loser of the race is
// told 404, on SQLite and on MariaDB alike, never a 500 from a foreign-key violation.
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { apiClient, type ApiResponse } from '../../support/client.js';
import { MYSQL_ADMIN_URL, needService } from '../../support/services.js';
import { startTestServer, type TestDialect, type TestServer } from '../../support/server.js';
import { createArticle, registerUser, type Api, type Writer } from '../api/harness.js';
import * as articleRepo from '../../src/articles/article.repo.js';
import * as commentRepo from '../../src/comments/comment.repo.js';
import { addComment } from '../../src/comments/comment.service.js';
import { toUser } from '../../src/users/user.service.js';
import { AppError } from '../../src/core/errors.js';
import { sql } from 'kysely';

const ROUNDS = 25;

/** Each round: a fresh article, then its deletion and one of each racing write, all sent at once. */
async function raceRounds(api: Api, author: Writer, reader: Writer) {
  const answers: { what: string; res: ApiResponse }[] = [];
  for (let round = 0; round < ROUNDS; round++) {
    const { slug } = await createArticle(api, author.token, { tagList: ['old'] });
    const racers = [
      { what: 'retag', send: () => api.put(`/articles/${slug}`, { article: { tagList: [`new${round}`, 'other'] } }, author.token) },
      { what: 'comment', send: () => api.post(`/articles/${slug}/comments`, { comment: { body: 'first!' } }, reader.token) },
      { what: 'favourite', send: () => api.post(`/articles/${slug}/favorite`, undefined, reader.token) },
    ];
    // The delete goes out second, so some racers' article lookups come before it and their writes after.
    const [first, ...rest] = racers;
    const sent = [first!.send(), api.del(`/articles/${slug}`, author.token), ...rest.map((r) => r.send())];
    const [retag, deleted, ...others] = await Promise.all(sent);
    assert.equal(deleted!.status, 204, deleted!.text);
    answers.push({ what: 'retag', res: retag! }, ...others.map((res, i) => ({ what: rest[i]!.what, res })));
  }
  return answers;
}

function defineRace(dialect: TestDialect, skip?: string) {
  describe(`deleting an article during writes to it (${dialect})`, { skip }, () => {
    let server: TestServer;
    let api: Api;
    before(async () => {
      // Many writes from two accounts in a few seconds: this is about races, not the write limits.
      server = await startTestServer(dialect, { WRITE_LIMIT_PER_ACCOUNT: '100000', WRITE_LIMIT_PER_ADDRESS: '100000' });
      api = apiClient(server.url);
    });
    after(async () => server?.close());

    test('when an article is deleted while it is retagged, commented and favourited, then each racer gets its success or a JSON 404, never a 500', async () => {
      const author = await registerUser(api, 'racer');
      const reader = await registerUser(api, 'reader');
      const answers = await raceRounds(api, author, reader);
      const ok: Record<string, number> = { retag: 200, comment: 201, favourite: 200 };
      for (const { what, res } of answers) {
        assert.ok(res.status === ok[what] || res.status === 404, `${what} answered ${res.status}: ${res.text.slice(0, 300)}`);
        if (res.status === 404) assert.ok(res.body?.errors?.article, `${what}'s 404 names the article: ${res.text}`);
      }
      // No write left rows pointing at an article that is gone.
      const { db } = server.deps.database;
      const orphanTags = await db.selectFrom('article_tags').leftJoin('articles', 'articles.id', 'article_tags.article_id')
        .select('article_tags.tag').where('articles.id', 'is', null).execute();
      assert.deepEqual(orphanTags, []);
    });

    /** An article created through the API and deleted behind the writer's back: its id and its author's. */
    async function deletedArticle() {
      const author = await registerUser(api, 'gone');
      const { slug } = await createArticle(api, author.token, { tagList: ['old'] });
      const { db } = server.deps.database;
      const row = await db.selectFrom('articles').select(['id', 'author_id', 'created_at']).where('slug', '=', slug).executeTakeFirstOrThrow();
      assert.equal((await api.del(`/articles/${slug}`, author.token)).status, 204);
      return { db, id: row.id, authorId: row.author_id, createdAt: Number(row.created_at) };
    }
    const isArticle404 = (err: unknown) => err instanceof AppError && err.status === 404 && 'article' in err.errors;

    test('when tags, a comment or a favourite are written for an article deleted after it was looked up, then each write is the article\'s 404', async () => {
      const { db, id, authorId, createdAt } = await deletedArticle();
      await assert.rejects(db.transaction().execute((trx) => articleRepo.insertTags(trx, { id, created_at: createdAt }, ['new'])), isArticle404);
      await assert.rejects(commentRepo.insertComment(db, { article_id: id, author_id: authorId, body: 'late', created_at: createdAt, updated_at: createdAt }), isArticle404);
      // On MySQL, INSERT IGNORE would have ignored the foreign key as well, and "favourited" nothing.
      await assert.rejects(articleRepo.insertFavorite(db, authorId, id), isArticle404);
    });

    test('when the article is deleted between a comment\'s insert and its read back, then the comment is the article\'s 404', { skip: dialect === 'mysql' && 'a MariaDB trigger cannot delete the row its statement refers to' }, async () => {
      const author = await registerUser(api, 'late');
      const { slug } = await createArticle(api, author.token);
      const { db } = server.deps.database;
      const writer = toUser(await db.selectFrom('users').selectAll().where('username', '=', author.username).executeTakeFirstOrThrow());
      // The delete that commits right after the insert, made certain: a trigger does it (as the service would) in the insert's statement.
      await sql`create trigger delete_after_comment after insert on comments begin
        delete from articles where id = new.article_id;
        update site_totals set value = value - 1 where name = 'articles';
      end`.execute(db);
      try {
        await assert.rejects(addComment(db, writer, slug, 'just in time'), isArticle404);
      } finally {
        await sql`drop trigger delete_after_comment`.execute(db);
      }
    });

    test('when an article is deleted twice, then the second delete is a 404 and the article total stays equal to the rows', async () => {
      const { db, id } = await deletedArticle();
      await assert.rejects(db.transaction().execute((trx) => articleRepo.deleteArticle(trx, id)), isArticle404);
      const { n } = await db.selectFrom('articles').select((eb) => eb.fn.countAll<number>().as('n')).executeTakeFirstOrThrow();
      const total = await db.selectFrom('site_totals').select('value').where('name', '=', 'articles').executeTakeFirstOrThrow();
      assert.equal(Number(total.value), Number(n));
    });
  });
}

defineRace('sqlite');
defineRace('mysql', await needService('MariaDB', MYSQL_ADMIN_URL));
