// The db layer's error predicates and the errors it raises, on errors from the real drivers:
// isUniqueViolation and isDeadlock (better-sqlite3, mysql2 on MariaDB), the timed pool's refusals
// (mysql-pool.ts) and the Redis client's failures (redis.ts), each told by a code, never its text.
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { randomBytes } from 'node:crypto';
import SQLite from 'better-sqlite3';
import { Redis as RawRedis } from 'ioredis';
import { sql } from 'kysely';
import { createConnection } from 'mysql2/promise';
import { createMysqlDatabase, MYSQL_ADMIN_URL, needService, REDIS_TEST_URL } from '../../support/services.js';
import { startTcpProxy, type TcpProxy } from '../../support/tcp-proxy.js';
import { DependencyError, isDependencyDown } from '../core/errors.js';
import { isDeadlock, isUniqueViolation, openDatabase } from './database.js';
import { isDatabaseTimeout } from './mysql-pool.js';
import { closeRedis, isRedisTimeout, openRedis, type Redis } from './redis.js';
import { thrown } from '../../support/thrown.js';

type DriverError = Error & { code?: unknown; cause?: unknown };

const sameText = (err: Error) => new Error(err.message);

/** Resolves on the client's next event of that name (events.once would reject on the 'error' a lost link also emits). */
const next = (client: Redis, event: 'close' | 'ready') => new Promise<void>((resolve) => { client.once(event, () => resolve()); });

describe('isUniqueViolation on SQLite (better-sqlite3)', () => {
  test('when a unique column or the primary key is taken, then it is a unique violation; the same text without the code is not', async () => {
    const sqlite = new SQLite(':memory:');
    sqlite.exec("create table users (id integer primary key, email text unique); insert into users values (1, 'a@example.com')");
    const unique = await thrown<DriverError>(() => sqlite.prepare("insert into users values (2, 'a@example.com')").run());
    const primary = await thrown<DriverError>(() => sqlite.prepare("insert into users values (1, 'b@example.com')").run());
    sqlite.close();
    assert.deepEqual([unique.code, primary.code], ['SQLITE_CONSTRAINT_UNIQUE', 'SQLITE_CONSTRAINT_PRIMARYKEY']);
    for (const err of [unique, primary]) {
      assert.equal(isUniqueViolation(err), true, String(err.code));
      assert.equal(isUniqueViolation(sameText(err)), false, String(err.code));
    }
  });
});

const mysqlMissing = await needService('MariaDB', MYSQL_ADMIN_URL);

describe('on MariaDB (mysql2)', { skip: mysqlMissing }, () => {
  let database: { url: string; drop(): Promise<void> };

  before(async () => {
    database = await createMysqlDatabase('quire_dberrors');
    const conn = await createConnection(database.url);
    await conn.query('create table counters (id int primary key, n int not null) engine=innodb');
    await conn.query('insert into counters (id, n) values (1, 0), (2, 0)');
    await conn.end();
  });
  after(async () => {
    await database?.drop();
  });

  test('when a key is taken and the server speaks German (lc_messages de_DE), then it is still a unique violation; the same text without the code is not', async () => {
    const conn = await createConnection(database.url);
    try {
      await conn.query("set lc_messages = 'de_DE'");
      const err = await thrown<DriverError>(() => conn.query('insert into counters (id, n) values (1, 0)'));
      assert.equal(err.code, 'ER_DUP_ENTRY');
      assert.doesNotMatch(err.message, /Duplicate entry/, `the message is translated: ${err.message}`);
      assert.equal(isUniqueViolation(err), true);
      assert.equal(isUniqueViolation(sameText(err)), false);
      assert.equal(isDeadlock(err), false);
    } finally {
      await conn.end();
    }
  });

  test('when two transactions lock two rows in opposite orders, then InnoDB\'s victim is a deadlock; the same text without the code is not', async () => {
    const [a, b] = await Promise.all([createConnection(database.url), createConnection(database.url)]);
    try {
      await a.query('start transaction');
      await b.query('start transaction');
      await a.query('update counters set n = n + 1 where id = 1');
      await b.query('update counters set n = n + 1 where id = 2');
      // a now waits for b's row; b asking for a's closes the cycle, and InnoDB rolls one of them back.
      const results = await Promise.allSettled([a.query('update counters set n = n + 1 where id = 2'), b.query('update counters set n = n + 1 where id = 1')]);
      const victims = results.flatMap((r) => (r.status === 'rejected' ? [r.reason as DriverError] : []));
      assert.equal(victims.length, 1, 'one transaction was rolled back');
      const err = victims[0]!;
      assert.equal(err.code, 'ER_LOCK_DEADLOCK');
      assert.equal(isDeadlock(err), true);
      assert.equal(isDeadlock(sameText(err)), false);
      assert.equal(isDependencyDown(err), false, 'a deadlock is run again, not an outage');
    } finally {
      await a.query('rollback').catch(() => undefined);
      await b.query('rollback').catch(() => undefined);
      await Promise.all([a.end(), b.end()]);
    }
  });

  test('when one call holds the only connection, one waits and one more comes, then that one is refused DATABASE_BUSY; mysql2\'s own refusal, by its text, is not an outage', async () => {
    const handle = openDatabase(database.url, { poolSize: 1, queueLimit: 1, timeoutMs: 5000 });
    let release!: () => void;
    const held = new Promise<void>((resolve) => { release = resolve; });
    let holding!: () => void;
    const holds = new Promise<void>((resolve) => { holding = resolve; });
    try {
      const holder = handle.db.transaction().execute(async (trx) => {
        await sql`select 1`.execute(trx);
        holding();
        await held;
      });
      await holds;
      const waiter = sql`select 1`.execute(handle.db);
      const err = await thrown<DriverError>(() => sql`select 1`.execute(handle.db));
      release();
      await Promise.all([holder, waiter]);
      assert.ok(err instanceof DependencyError, String(err));
      assert.equal(err.code, 'DATABASE_BUSY');
      assert.equal(isDependencyDown(err), true);
      assert.equal(isDatabaseTimeout(err), true, '/healthz says timeout: the database was waited for');
      assert.ok(err.cause instanceof Error, 'mysql2\'s refusal is kept as the cause');
      assert.equal(isDependencyDown(err.cause), false, `mysql2's "${err.cause.message}" alone is no outage`);
    } finally {
      release();
      await handle.close();
    }
  });

  test('when the pool is closed while a call waits for a connection, then that call is refused DATABASE_CLOSED, an outage but not a timeout', async () => {
    const handle = openDatabase(database.url, { poolSize: 1, timeoutMs: 5000 });
    let release!: () => void;
    const held = new Promise<void>((resolve) => { release = resolve; });
    let holding!: () => void;
    const holds = new Promise<void>((resolve) => { holding = resolve; });
    const holder = handle.db.transaction().execute(async (trx) => {
      await sql`select 1`.execute(trx);
      holding();
      await held;
    });
    await holds;
    const waiter = thrown(() => sql`select 1`.execute(handle.db));
    // The pool is at its limit, so the waiter is in mysql2's queue once the promises before it have run.
    await new Promise((resolve) => setImmediate(resolve));
    const closed = handle.close();
    const err = await waiter;
    release();
    await holder.catch(() => undefined); // its commit comes after the close
    await closed;
    assert.ok(err instanceof DependencyError, String(err));
    assert.equal(err.code, 'DATABASE_CLOSED');
    assert.equal(isDependencyDown(err), true);
    assert.equal(isDatabaseTimeout(err), false);
    assert.equal(isDependencyDown(err.cause), false, `mysql2's "${(err.cause as Error).message}" alone is no outage`);
  });
});

const redisMissing = await needService('Redis', REDIS_TEST_URL);

describe('the Redis client (ioredis)', { skip: redisMissing, timeout: 20_000 }, () => {
  const TIMEOUT_MS = 300;
  let proxy: TcpProxy;
  let redis: Redis;

  before(async () => {
    const target = new URL(REDIS_TEST_URL);
    proxy = await startTcpProxy({ host: target.hostname, port: Number(target.port || 6379) });
  });
  after(async () => {
    proxy?.up();
    if (redis) await closeRedis(redis);
    await proxy?.close();
  });

  const open = async () => {
    if (redis) await closeRedis(redis);
    redis = await openRedis(`redis://127.0.0.1:${proxy.port}`, { timeoutMs: TIMEOUT_MS });
    return redis;
  };

  test('when ioredis cannot send a command (no connection, no offline queue), then its own error has no code and is no outage by its text alone', async () => {
    const raw = new RawRedis('redis://127.0.0.1:1', { lazyConnect: true, enableOfflineQueue: false, maxRetriesPerRequest: 0, retryStrategy: () => null });
    raw.on('error', () => undefined);
    try {
      const err = await thrown<DriverError>(() => raw.get('k'));
      assert.equal(err.code, undefined, `ioredis gives "${err.message}" no code`);
      assert.equal(isDependencyDown(err), false);
    } finally {
      raw.disconnect();
    }
  });

  test('when the connection is lost, then a command fails at once with REDIS_UNAVAILABLE, an outage but not a timeout, and the client reconnects', async () => {
    const client = await open();
    const closed = next(client, 'close');
    proxy.down();
    try {
      await closed;
      const err = await thrown<DriverError>(() => client.get('k'));
      assert.ok(err instanceof DependencyError, String(err));
      assert.equal(err.code, 'REDIS_UNAVAILABLE');
      assert.equal(isDependencyDown(err), true);
      assert.equal(isRedisTimeout(err), false);
      assert.equal(isDependencyDown(err.cause), false, 'what ioredis said, kept as the cause, decides nothing');
    } finally {
      proxy.up();
    }
    await next(client, 'ready');
    assert.equal(await client.ping(), 'PONG');
  });

  test('when Redis stalls, then a command fails after the timeout with REDIS_TIMEOUT, an outage and a timeout', async () => {
    const client = await open();
    proxy.stall();
    try {
      const started = Date.now();
      const err = await thrown<DriverError>(() => client.ping());
      assert.ok(Date.now() - started >= TIMEOUT_MS - 50, `failed after ${Date.now() - started} ms, before the timeout`);
      assert.ok(err instanceof DependencyError, String(err));
      assert.equal(err.code, 'REDIS_TIMEOUT');
      assert.equal(isRedisTimeout(err), true);
      assert.equal(isDependencyDown(err), true);
    } finally {
      proxy.up();
    }
  });

  test('when Redis answers with an error of its own (WRONGTYPE), then it is passed on as it is: no outage', async () => {
    const client = await open();
    const key = `quire-test-${randomBytes(4).toString('hex')}`;
    await client.set(key, 'a string', 'EX', 10);
    const err = await thrown<DriverError>(() => client.lpush(key, 'x'));
    await client.del(key);
    assert.equal(err.name, 'ReplyError');
    assert.match(err.message, /^WRONGTYPE/);
    assert.equal(isDependencyDown(err), false);
  });

  test('when the client has been closed, then a command fails with REDIS_UNAVAILABLE', async () => {
    const client = await open();
    await closeRedis(client);
    const err = await thrown<DriverError>(() => client.get('k'));
    assert.equal(err.code, 'REDIS_UNAVAILABLE', String(err));
    assert.equal(isDependencyDown(err), true);
  });
});
