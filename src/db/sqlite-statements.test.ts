// SQLite statements as db.ts keeps them. LIMIT is sent as `? + 0`, still a bound parameter but not
// a bare one, so SQLite keeps a prepared statement's plan instead of compiling it again on every run
// (MySQL's LIMIT is untouched). Rows are read as arrays and made into the same objects
// better-sqlite3 would make. A schema change takes every statement afresh.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { sql } from 'kysely';
import { openDatabase } from './database.js';

test('when a query with a limit is built for SQLite, then the limit is bound as "? + 0" and still limits', async () => {
  const { db, close } = openDatabase('sqlite::memory:');
  try {
    await sql`create table numbers (n integer primary key)`.execute(db);
    for (let n = 1; n <= 10; n++) await sql`insert into numbers (n) values (${n})`.execute(db);
    const query = db.selectFrom('numbers' as never).select(sql<number>`n`.as('n')).orderBy(sql`n`).limit(3).offset(2);
    const compiled = query.compile();
    assert.match(compiled.sql, /limit \? \+ 0 offset \?$/);
    assert.deepEqual(compiled.parameters, [3, 2], 'the limit is a parameter, never written into the SQL');
    assert.deepEqual((await query.execute()).map((row) => (row as { n: number }).n), [3, 4, 5]);
    // Run again with another limit through the same kept statement.
    assert.equal((await db.selectFrom('numbers' as never).select(sql`n`.as('n')).limit(7).execute()).length, 7);
  } finally {
    await close();
  }
});

test('when a query with a limit is built for MySQL, then the limit stays a bare parameter (MySQL takes nothing else there)', async () => {
  const { db, close } = openDatabase('mysql://root@127.0.0.1:1/unused');
  try {
    const compiled = db.selectFrom('articles').select('id').limit(20).compile();
    assert.match(compiled.sql, /limit \?$/);
    assert.deepEqual(compiled.parameters, [20]);
  } finally {
    await close();
  }
});

test('when rows are read, then they are the objects better-sqlite3 makes: same keys, same order, a later duplicate name wins', async () => {
  const { db, close } = openDatabase('sqlite::memory:');
  try {
    await sql`create table people (id integer primary key, name text, bio text)`.execute(db);
    await sql`insert into people (id, name, bio) values (1, 'Ann', null), (2, 'Bo', 'writes')`.execute(db);
    const { rows } = await sql<Record<string, unknown>>`select id, name, bio, name as bio from people order by id`.execute(db);
    assert.deepEqual(rows, [{ id: 1, name: 'Ann', bio: 'Ann' }, { id: 2, name: 'Bo', bio: 'Bo' }]);
    assert.deepEqual(Object.keys(rows[0]!), ['id', 'name', 'bio']);
    const again = await sql<Record<string, unknown>>`select id, name, bio, name as bio from people order by id`.execute(db);
    assert.deepEqual(again.rows, rows, 'the kept statement gives the same rows');
    const streamed: unknown[] = [];
    for await (const row of db.selectFrom('people' as never).select([sql`id`.as('id'), sql`name`.as('name')]).orderBy(sql`id`).stream()) streamed.push(row);
    assert.deepEqual(streamed, [{ id: 1, name: 'Ann' }, { id: 2, name: 'Bo' }]);
  } finally {
    await close();
  }
});

test('when the schema changes, then a kept "select *" returns the new columns', async () => {
  const { db, close } = openDatabase('sqlite::memory:');
  try {
    await sql`create table notes (id integer primary key, body text)`.execute(db);
    await sql`insert into notes (id, body) values (1, 'first')`.execute(db);
    const all = () => sql<Record<string, unknown>>`select * from notes`.execute(db);
    assert.deepEqual((await all()).rows, [{ id: 1, body: 'first' }]);
    await sql`alter table notes add column title text not null default 'untitled'`.execute(db);
    assert.deepEqual((await all()).rows, [{ id: 1, body: 'first', title: 'untitled' }]);
    await sql`alter table notes rename column body to text`.execute(db);
    assert.deepEqual((await all()).rows, [{ id: 1, text: 'first', title: 'untitled' }]);
  } finally {
    await close();
  }
});
