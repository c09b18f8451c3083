// inTransaction: on a real MariaDB, two transactions that lock two rows in opposite orders deadlock;
// InnoDB rolls one back whole, and inTransaction runs it again, so both land and nothing is
// half-written. On SQLite (no deadlocks there), the retry rule itself: which errors, how many tries.
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { sql } from 'kysely';
import { createMysqlDatabase, MYSQL_ADMIN_URL, needService } from '../../test/support/services.js';
import { inTransaction, openDatabase, type DatabaseHandle } from './db.js';

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
