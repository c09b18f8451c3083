// When a small site is seeded, then every table holds what was asked for, on SQLite and on MySQL,
// and the same seed makes the same site.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { openDatabase, type Db } from '../../src/db/database.js';
import { migrateToLatest } from '../../src/db/migrate.js';
import { seedSite, resetSite } from '../../src/seed/seed.js';
import { createMysqlDatabase, MYSQL_ADMIN_URL, needService } from '../../support/services.js';
import { assertTagListsMatchRows } from '../../support/tag-lists.js';

const small = { users: 5, articles: 50, comments: 100, seed: 42, password: 'password' };

async function count(db: Db, table: 'users' | 'articles' | 'comments' | 'article_tags' | 'favorites' | 'follows'): Promise<number> {
  const row = await db.selectFrom(table).select((eb) => eb.fn.countAll<number>().as('n')).executeTakeFirstOrThrow();
  return Number(row.n);
}

async function checkSeed(db: Db): Promise<void> {
  const counts = await seedSite(db, small);
  assert.equal(await count(db, 'users'), 5);
  assert.equal(await count(db, 'articles'), 50);
  assert.equal(await count(db, 'comments'), 100);
  const tags = await count(db, 'article_tags');
  assert.ok(tags >= 150 && tags <= 250, `3–5 tags per article, ${tags} in all`);
  assert.equal(tags, counts.tags);
  assert.equal(await count(db, 'favorites'), counts.favorites);
  assert.equal(await count(db, 'follows'), counts.follows);
  const article = await db.selectFrom('articles').select(['body', 'body_html']).where('id', '=', 1).executeTakeFirstOrThrow();
  assert.ok(article.body.length > 0 && article.body_html.includes('<'), 'markdown rendered to HTML at seed time');
  assert.equal(await assertTagListsMatchRows(db), 50, 'every article row lists its tags');
  await assert.rejects(seedSite(db, small), /already has users/);
}

test('when a small site is seeded on SQLite, then the counts match and the same seed gives the same titles', async () => {
  const handles = [openDatabase('sqlite::memory:'), openDatabase('sqlite::memory:')];
  try {
    const titles = [];
    for (const { db } of handles) {
      await migrateToLatest(db);
      await checkSeed(db);
      titles.push((await db.selectFrom('articles').select('slug').orderBy('id').execute()).map((r) => r.slug));
    }
    assert.deepEqual(titles[0], titles[1]);
    await resetSite(handles[0]!.db);
    assert.equal(await count(handles[0]!.db, 'articles'), 0);
  } finally {
    await Promise.all(handles.map((h) => h.close()));
  }
});

test('when a small site is seeded on MySQL, then the counts match', async (t) => {
  const skip = await needService('MySQL', MYSQL_ADMIN_URL);
  if (skip) return t.skip(skip);
  const mysql = await createMysqlDatabase();
  const handle = openDatabase(mysql.url);
  try {
    await migrateToLatest(handle.db);
    await checkSeed(handle.db);
  } finally {
    await handle.close();
    await mysql.drop();
  }
});
