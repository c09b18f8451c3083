// inTransaction: on a real MariaDB, two transactions that lock two rows in opposite orders deadlock;
// InnoDB rolls one back whole, and inTransaction runs it again, so both land and nothing is
// half-written. On SQLite (no deadlocks there), the retry rule itself: which errors, how many tries.
// And the MySQL deadlines (mysql-pool.ts), through a forwarder that stalls or black-holes MariaDB.
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { sql } from 'kysely';
import { performance } from 'node:perf_hooks';
import { createMysqlDatabase, MYSQL_ADMIN_URL, needService } from '../../support/services.js';
import { startTcpProxy, type TcpProxy } from '../../support/tcp-proxy.js';
import { inTransaction, openDatabase, type DatabaseHandle, type DatabaseOptions } from './database.js';
import { isDependencyDown } from '../core/errors.js';

const missing = await needService('MariaDB', MYSQL_ADMIN_URL);

describe('inTransaction, the retry rule (SQLite)', () => {
  const deadlock = () => Object.assign(new Error('Deadlock found when trying to get lock'), { code: 'ER_LOCK_DEADLOCK' });

  test('when work is a deadlock victim three times, then the fourth try lands, and each failed try left nothing', async () => {
    const { db, close } = openDatabase('sqlite::memory:');
    await sql`create table counters (id integer primary key, n integer not null)`.execute(db);
    await sql`insert into counters (id, n) values (1, 0)`.execute(db);
    let attempts = 0;
    const result = await inTransaction(db, async (trx) => {
      attempts++;
      await sql`update counters set n = n + 1 where id = 1`.execute(trx);
      if (attempts < 4) throw deadlock();
      return 'landed';
    });
    assert.equal(result, 'landed');
    assert.equal(attempts, 4);
    const { rows } = await sql<{ n: number }>`select n from counters`.execute(db);
    assert.deepEqual(rows, [{ n: 1 }], 'only the try that committed counted');
    await close();
  });

  test('when work is a deadlock victim four times, then the fourth deadlock is thrown; other errors are thrown at once', async () => {
    const { db, close } = openDatabase('sqlite::memory:');
    let attempts = 0;
    await assert.rejects(inTransaction(db, async () => { attempts++; throw deadlock(); }), { code: 'ER_LOCK_DEADLOCK' });
    assert.equal(attempts, 4);
    attempts = 0;
    await assert.rejects(inTransaction(db, async () => { attempts++; throw Object.assign(new Error('dup'), { code: 'ER_DUP_ENTRY' }); }), { code: 'ER_DUP_ENTRY' });
    assert.equal(attempts, 1);
    await close();
  });
});

describe('inTransaction on MariaDB', { skip: missing }, () => {
  let database: { url: string; drop(): Promise<void> };
  let handle: DatabaseHandle;

  before(async () => {
    database = await createMysqlDatabase('quire_trx');
    handle = openDatabase(database.url, { poolSize: 4 });
    await sql`create table counters (id int primary key, n int not null)`.execute(handle.db);
  });
  after(async () => {
    await handle?.close();
    await database?.drop();
  });

  const values = async () => (await sql<{ id: number; n: number }>`select id, n from counters order by id`.execute(handle.db)).rows
    .map((r) => [r.id, r.n]);

  test('when two transactions deadlock, then the one InnoDB rolls back runs again and both land whole', async () => {
    await sql`delete from counters`.execute(handle.db);
    await sql`insert into counters (id, n) values (1, 0), (2, 0)`.execute(handle.db);
    let attempts = 0;
    const locked: Record<number, () => void> = {};
    const holds = { 1: new Promise<void>((r) => { locked[1] = r; }), 2: new Promise<void>((r) => { locked[2] = r; }) };
    // Each bumps both rows: first its own, then (once the other holds its own row) the other's.
    const bump = (mine: 1 | 2, theirs: 1 | 2) => inTransaction(handle.db, async (trx) => {
      attempts++;
      await sql`update counters set n = n + 1 where id = ${mine}`.execute(trx);
      locked[mine]!();
      await holds[theirs];
      await sql`update counters set n = n + 1 where id = ${theirs}`.execute(trx);
    });
    await Promise.all([bump(1, 2), bump(2, 1)]);
    assert.equal(attempts, 3, 'one of the two ran twice');
    assert.deepEqual(await values(), [[1, 2], [2, 2]], 'each row bumped once by each transaction, the rolled-back try left nothing');
  });

  test('when work fails for another reason, then it is not run again and its writes are rolled back', async () => {
    await sql`delete from counters`.execute(handle.db);
    await sql`insert into counters (id, n) values (1, 0)`.execute(handle.db);
    let attempts = 0;
    await assert.rejects(inTransaction(handle.db, async (trx) => {
      attempts++;
      await sql`update counters set n = n + 1 where id = 1`.execute(trx);
      await sql`insert into counters (id, n) values (1, 5)`.execute(trx);
    }), (err: { code?: string }) => err.code === 'ER_DUP_ENTRY');
    assert.equal(attempts, 1);
    assert.deepEqual(await values(), [[1, 0]]);
  });
});

// Each test has a time limit of its own: without the deadlines a stalled call hangs instead of failing.
describe('MySQL deadlines, through a forwarder that stalls', { skip: missing, timeout: 20_000 }, () => {
  let database: { url: string; drop(): Promise<void> };
  let proxy: TcpProxy;
  const handles: DatabaseHandle[] = [];

  before(async () => {
    database = await createMysqlDatabase('quire_deadline');
    const target = new URL(database.url);
    proxy = await startTcpProxy({ host: target.hostname, port: Number(target.port || 3306) });
  });
  after(async () => {
    proxy?.up();
    for (const handle of handles) await handle.close();
    await proxy?.close();
    await database?.drop();
  });

  /** A handle whose connections go through the forwarder. */
  const open = (opts: DatabaseOptions) => {
    const url = new URL(database.url);
    url.port = String(proxy.port);
    const handle = openDatabase(url.toString(), opts);
    handles.push(handle);
    return handle;
  };
  const connectionId = async (handle: DatabaseHandle) => (await sql<{ id: number }>`select connection_id() as id`.execute(handle.db)).rows[0]!.id;
  /** How long the call took to fail, and the error it failed with. */
  const failure = async (call: Promise<unknown>) => {
    const started = performance.now();
    try {
      await call;
    } catch (err) {
      return { ms: performance.now() - started, err: err as { code?: string } };
    }
    throw new Error('the call succeeded');
  };

  test('when MariaDB stalls, then a query and the next on the same pool both fail within the timeout, and afterwards every query lands on a fresh connection', async () => {
    const handle = open({ poolSize: 1, timeoutMs: 400 });
    const before = await connectionId(handle);
    proxy.stall();
    try {
      for (const attempt of [1, 2]) {
        const { ms, err } = await failure(connectionId(handle));
        assert.ok(ms < 2000, `query ${attempt} failed after ${Math.round(ms)} ms`);
        assert.ok(isDependencyDown(err), `query ${attempt}: a dependency error, got ${String(err.code)}`);
      }
    } finally {
      proxy.up();
    }
    // Had the stalled connection gone back to the pool, these would queue behind its unanswered query.
    for (let i = 0; i < 3; i++) assert.notEqual(await connectionId(handle), before, 'the stalled connection was destroyed, not reused');
  });

  test('when more calls wait for a connection than the queue limit, then the next one fails at once with DATABASE_BUSY, and the waiters still give up within the timeout', async () => {
    const handle = open({ poolSize: 1, timeoutMs: 3000, queueLimit: 1 });
    await connectionId(handle);
    proxy.stall();
    try {
      const holding = failure(connectionId(handle));
      const waiting = failure(connectionId(handle));
      const refused = await failure(connectionId(handle));
      assert.equal(refused.err.code, 'DATABASE_BUSY');
      assert.ok(refused.ms < 1000, `refused after ${Math.round(refused.ms)} ms, not at once`);
      assert.ok(isDependencyDown(refused.err));
      for (const { ms, err } of await Promise.all([holding, waiting])) {
        assert.ok(ms < 5000, `a waiter failed after ${Math.round(ms)} ms`);
        assert.ok(isDependencyDown(err), `a dependency error, got ${String(err.code)}`);
      }
    } finally {
      proxy.up();
    }
    await connectionId(handle);
  });

  test('when MariaDB is black-holed (connections accepted, never greeted), then connecting gives up within the timeout, and connects again after', async () => {
    const handle = open({ poolSize: 2, timeoutMs: 400 });
    proxy.blackHole();
    try {
      const { ms, err } = await failure(connectionId(handle));
      assert.ok(ms < 2000, `failed after ${Math.round(ms)} ms`);
      assert.ok(isDependencyDown(err), `a dependency error, got ${String(err.code)}`);
    } finally {
      proxy.up();
    }
    await connectionId(handle);
  });

  test('when a handle has deadlines, then its untimed twin runs a query longer than them on the same pool', async () => {
    const handle = open({ poolSize: 2, timeoutMs: 300 });
    const slow = await failure(sql`select sleep(0.6)`.execute(handle.db));
    assert.ok(isDependencyDown(slow.err));
    const { rows } = await sql<{ done: number }>`select sleep(0.6) as done`.execute(handle.untimed);
    assert.deepEqual(rows, [{ done: 0 }]);
  });
});
