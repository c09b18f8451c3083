// isDependencyDown and isMissingParent on errors the real drivers raise (better-sqlite3, mysql2 on
// MariaDB): they decide by the driver's code, so an error with the same text and no code is not taken.
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import SQLite from 'better-sqlite3';
import { createConnection, type Connection } from 'mysql2/promise';
import { createMysqlDatabase, MYSQL_ADMIN_URL, needService } from '../../support/services.js';
import { DependencyError, isDependencyDown, isMissingParent } from './errors.js';
import { thrown } from '../../support/thrown.js';

type DriverError = Error & { code?: unknown; errno?: unknown; sqlMessage?: unknown };

/** An error with err's text and nothing else: all a classifier by message would have to go on. */
const sameText = (err: DriverError) => Object.assign(new Error(err.message), { sqlMessage: err.sqlMessage });

describe('on SQLite (better-sqlite3)', () => {
  test('when a row names a parent row that is not there, then it is a missing parent; the same text without the code is not', async () => {
    const sqlite = new SQLite(':memory:');
    sqlite.pragma('foreign_keys = ON');
    sqlite.exec('create table articles (id integer primary key); create table comments (id integer primary key, article_id integer not null references articles (id))');
    const err = await thrown<DriverError>(() => sqlite.prepare('insert into comments (article_id) values (99)').run());
    sqlite.close();
    assert.equal(err.code, 'SQLITE_CONSTRAINT_FOREIGNKEY');
    assert.equal(isMissingParent(err, 'articles'), true);
    assert.equal(isMissingParent(sameText(err), 'articles'), false);
    assert.equal(isDependencyDown(err), false, 'a refused row is not an outage');
  });

  test('when another connection holds the write lock past the busy timeout, then it is an outage; the same text without the code is not', async () => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'quire-errors-'));
    const file = path.join(dir, 'busy.db');
    const holder = new SQLite(file);
    const waiter = new SQLite(file, { timeout: 0 });
    try {
      holder.exec('create table t (n integer); begin immediate; insert into t values (1)');
      const err = await thrown<DriverError>(() => waiter.prepare('insert into t values (2)').run());
      assert.equal(err.code, 'SQLITE_BUSY');
      assert.equal(isDependencyDown(err), true);
      assert.equal(isDependencyDown(sameText(err)), false);
    } finally {
      holder.close();
      waiter.close();
      fs.rmSync(dir, { recursive: true, force: true });
    }
  });
});

const missing = await needService('MariaDB', MYSQL_ADMIN_URL);

describe('on MariaDB (mysql2)', { skip: missing }, () => {
  let database: { url: string; drop(): Promise<void> };
  let conn: Connection;

  before(async () => {
    database = await createMysqlDatabase('quire_errors');
    conn = await createConnection(database.url);
    await conn.query('create table articles (id int primary key) engine=innodb');
    await conn.query('create table users (id int primary key) engine=innodb');
    await conn.query(`create table comments (id int auto_increment primary key,
      article_id int not null, author_id int not null,
      foreign key (article_id) references articles (id), foreign key (author_id) references users (id)) engine=innodb`);
    await conn.query('insert into articles (id) values (1)');
    await conn.query('insert into users (id) values (1)');
  });
  after(async () => {
    await conn?.end();
    await database?.drop();
  });

  test('when a comment names an article that is not there, then it is a missing parent of articles, not of users; the same text without the code is neither', async () => {
    const err = await thrown<DriverError>(() => conn.query('insert into comments (article_id, author_id) values (99, 1)'));
    assert.equal(err.code, 'ER_NO_REFERENCED_ROW_2');
    assert.equal(isMissingParent(err, 'articles'), true);
    assert.equal(isMissingParent(err, 'users'), false, 'the REFERENCES clause names the parent that is missing');
    assert.equal(isMissingParent(sameText(err), 'articles'), false);
    assert.equal(isDependencyDown(err), false);
  });

  test('when the server speaks German (lc_messages de_DE), then the violation is still told by its code, and its parent by the REFERENCES clause', async () => {
    await conn.query("set lc_messages = 'de_DE'");
    try {
      const article = await thrown<DriverError>(() => conn.query('insert into comments (article_id, author_id) values (99, 1)'));
      const author = await thrown<DriverError>(() => conn.query('insert into comments (article_id, author_id) values (1, 99)'));
      assert.doesNotMatch(article.message, /Cannot add or update/, `the message is translated: ${article.message}`);
      assert.equal(isMissingParent(article, 'articles'), true);
      assert.equal(isMissingParent(author, 'articles'), false);
      assert.equal(isMissingParent(author, 'users'), true);
    } finally {
      await conn.query("set lc_messages = 'en_US'");
    }
  });

  test('when MariaDB refuses the connection, then it is an outage; its text alone is not', async () => {
    const err = await thrown<DriverError>(() => createConnection({ host: '127.0.0.1', port: 1, user: 'root' }));
    assert.equal(err.code, 'ECONNREFUSED');
    assert.equal(isDependencyDown(err), true);
    assert.match(err.message, /ECONNREFUSED/);
    assert.equal(isDependencyDown(sameText(err)), false);
  });
});

describe('Quire\'s own dependency errors', () => {
  test('when Quire gives up on a dependency, then its DependencyError is an outage; an Error with its text alone is not', () => {
    for (const code of ['DATABASE_TIMEOUT', 'DATABASE_BUSY', 'DATABASE_CLOSED', 'REDIS_TIMEOUT', 'REDIS_UNAVAILABLE'] as const) {
      const err = new DependencyError(code, `gave up: ${code}`);
      assert.equal(isDependencyDown(err), true, code);
      assert.equal(isDependencyDown(new Error(err.message)), false, code);
    }
  });

  test('when the code is wrong (a TypeError, a plain Error, a thrown string), then it is not an outage', () => {
    for (const err of [new TypeError('x is not a function'), new Error('Connection is closed.'), 'ECONNREFUSED', null, undefined]) {
      assert.equal(isDependencyDown(err), false, String(err));
    }
  });
});
