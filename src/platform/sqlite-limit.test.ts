// LIMIT on SQLite: sent as `? + 0`, still a bound parameter but not a bare one, so SQLite keeps a
// prepared statement's plan instead of compiling it again on every run; MySQL's LIMIT is untouched.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { sql } from 'kysely';
import { openDatabase } from './db.js';

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
