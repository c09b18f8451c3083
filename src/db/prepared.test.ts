// prepared() must send exactly what building the query afresh would send, for every shape, on both
// dialects, and refuse build functions that transform or inline their arguments.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { DummyDriver, Kysely, MysqlAdapter, MysqlIntrospector, MysqlQueryCompiler, SqliteAdapter, SqliteIntrospector, SqliteQueryCompiler, sql, type CompiledQuery } from 'kysely';
import type { Database } from './schema.js';
import type { Db } from './database.js';
import { prepared } from './prepared.js';

type Dialect = 'mysql' | 'sqlite';

/** A database that compiles for the dialect and runs nothing, logging what it was asked to run. */
function compilingDb(dialect: Dialect): { db: Db; sent: CompiledQuery[] } {
  const sent: CompiledQuery[] = [];
  const db = new Kysely<Database>({
    dialect: {
      createAdapter: () => (dialect === 'mysql' ? new MysqlAdapter() : new SqliteAdapter()),
      createDriver: () => new DummyDriver(),
      createIntrospector: (k) => (dialect === 'mysql' ? new MysqlIntrospector(k) : new SqliteIntrospector(k)),
      createQueryCompiler: () => (dialect === 'mysql' ? new MysqlQueryCompiler() : new SqliteQueryCompiler()),
    },
    log: (event) => { sent.push(event.query); },
  });
  return { db, sent };
}

type Args = { username?: string; ids: number[]; pattern?: string; limit: number };

const build = (db: Db, a: Args) => {
  let qb = db.selectFrom('articles').select(['id', 'slug']).where('id', 'in', a.ids);
  if (a.username !== undefined) qb = qb.where('author_id', 'in', db.selectFrom('users').select('id').where('username', '=', a.username));
  if (a.pattern !== undefined) qb = qb.where(sql<boolean>`lower(title) like ${a.pattern} escape '!'`);
  return qb.where('created_at', '>', 0).orderBy('id').limit(a.limit);
};

const cases: Args[] = [
  { ids: [1, 2, 3], limit: 20 },
  { ids: [7], username: 'ann', limit: 5 },
  { ids: [4, 5], username: "o'brien; drop table users", pattern: '%a!%b%', limit: 1 },
  { ids: [1, 2, 3], pattern: '%x%', limit: 20 },
  { ids: [9, 8, 7], limit: 3 }, // same shape as the first, other values
  { ids: [], limit: 1 },
];

for (const dialect of ['sqlite', 'mysql'] as const) {
  test(`when prepared queries run with any shape on ${dialect}, then SQL and parameters equal a fresh build`, async () => {
    const { db, sent } = compilingDb(dialect);
    const query = prepared(build);
    for (const args of cases) {
      for (let round = 0; round < 2; round++) {
        sent.length = 0;
        await query(db, args);
        await db.executeQuery(build(db, args).compile());
        assert.equal(sent.length, 2);
        assert.equal(sent[0]!.sql, sent[1]!.sql, JSON.stringify(args));
        assert.deepEqual(sent[0]!.parameters, sent[1]!.parameters, JSON.stringify(args));
      }
    }
  });
}

test('when a build function changes an argument, then the first call fails instead of sending a wrong value', async () => {
  const { db } = compilingDb('sqlite');
  const lowered = prepared((d, a: { name: string }) => d.selectFrom('users').select('id').where('username', '=', a.name.toLowerCase()));
  await assert.rejects(async () => lowered(db, { name: 'Ann' }), /changed before it reached Kysely/);
});

test('when a build function writes an argument into the SQL text, then the first call fails', async () => {
  const { db } = compilingDb('sqlite');
  const inlined = prepared((d, a: { column: string }) => d.selectFrom('users').select(sql.raw<string>(a.column).as('c')));
  await assert.rejects(async () => inlined(db, { column: 'username' }), /written into the SQL text/);
});
