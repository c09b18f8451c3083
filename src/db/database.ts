// Opens the database named by DATABASE_URL: SQLite (file, WAL) by default, MySQL/MariaDB via mysql2.
// The same Kysely handle and the same migrations serve both.
import fs from 'node:fs';
import path from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import SQLite from 'better-sqlite3';
import { createRequire } from 'node:module';
import type { createPool as CreatePool } from 'mysql2';
import {
  Kysely, MysqlAdapter, MysqlDialect, SqliteDialect, SqliteQueryCompiler, ValueNode, sql,
  type InsertQueryBuilder, type LimitNode, type QueryCompiler, type SqliteDatabase, type SqliteStatement,
} from 'kysely';
import type { Database } from './schema.js';
import { timedPool } from './mysql-pool.js';
import { recordQuery } from '../core/request-timing.js'; // query time for Server-Timing; a no-op outside a timed request

export type Dialect = 'sqlite' | 'mysql';
export type Db = Kysely<Database>;

export interface DatabaseHandle {
  db: Db;
  dialect: Dialect;
  /** Where the data lives, with any password masked: safe to print. */
  label: string;
  /** SQLite only: the database file's path (undefined in memory). Every worker on the machine opens the same one. */
  sqliteFile?: string;
  /**
   * The same database with no time limit on a query (MySQL), for migrations: a long ALTER must
   * finish, not be cut off with its connection. Closed with the handle. On SQLite, db itself.
   */
  untimed: Db;
  ping(): Promise<void>;
  close(): Promise<void>;
}

export interface DatabaseOptions {
  poolSize?: number;
  /**
   * MySQL: the most a call may take, waiting for a pooled connection (or connecting) and running
   * the query together; a connection whose query ran out of time is destroyed. Unset: no limit
   * (the CLI's one-off tools), though connecting still gives up after 5 s.
   */
  timeoutMs?: number;
  /** MySQL: calls that may wait for a pooled connection at once; one more fails at once. Unset: no limit. */
  queueLimit?: number;
}

export function openDatabase(url: string, opts: DatabaseOptions = {}): DatabaseHandle {
  if (url.startsWith('sqlite:')) return openSqlite(url.slice('sqlite:'.length));
  return openMysql(url, opts);
}

/**
 * Kysely's SQLite driver prepares every query anew; preparing costs more than running a short
 * query. Statements are kept by their SQL text (Kysely's SQL is parameterised, so the set is
 * small and fixed), least recently used out past the cap. SQLite re-prepares a kept statement
 * by itself when the schema changes; a schema change made here (create, alter, drop) also empties
 * the cache, so every statement and its column names are taken afresh.
 */
function withStatementCache(sqlite: SQLite.Database, max = 500): SqliteDatabase {
  const statements = new Map<string, SqliteStatement>();
  return {
    close: () => { statements.clear(); sqlite.close(); },
    prepare(text: string) {
      let statement = statements.get(text);
      if (statement) {
        statements.delete(text);
      } else if (/^\s*(create|alter|drop)\b/i.test(text)) {
        statements.clear();
        return sqlite.prepare(text) as unknown as SqliteStatement;
      } else {
        statement = keptStatement(sqlite.prepare(text));
        if (statements.size >= max) statements.delete(statements.keys().next().value!);
      }
      statements.set(text, statement);
      return statement;
    },
  };
}

/**
 * A kept statement whose rows are read as arrays and made into objects here. better-sqlite3 sets
 * each row's properties by column name, which V8 looks up in its string table per row and column
 * (docs/decisions/20-sqlite-statement-cache.md). Same objects, same key order, and a later column
 * still wins over an earlier one of the same name.
 */
function keptStatement(statement: SQLite.Statement): SqliteStatement {
  if (!statement.reader) return statement as unknown as SqliteStatement;
  statement.raw(true);
  let names = statement.columns().map((c) => c.name);
  const objectOf = (values: unknown[]): Record<string, unknown> => {
    // Another process's schema change re-prepares the statement inside SQLite: take the names again.
    if (values.length !== names.length) names = statement.columns().map((c) => c.name);
    const row: Record<string, unknown> = {};
    for (let i = 0; i < names.length; i++) row[names[i]!] = values[i];
    return row;
  };
  return {
    reader: true,
    all: (parameters) => (statement.all(parameters) as unknown[][]).map(objectOf),
    run: (parameters) => statement.run(parameters),
    *iterate(parameters) {
      for (const values of statement.iterate(parameters) as IterableIterator<unknown[]>) yield objectOf(values);
    },
  };
}

/**
 * SQLite (3.53) plans a query with `LIMIT ?` for the value bound to it, so binding it, which
 * happens on every run, throws the plan away and the statement is compiled again
 * (docs/decisions/20-limit-plus-zero.md). `LIMIT ? + 0` is still a bound parameter, but not a bare
 * one, so the statement keeps its plan (our lists are driven by their indexes whatever the limit).
 * Done where Kysely writes the SQL, so it costs nothing per query.
 */
class LimitKeepsPlanCompiler extends SqliteQueryCompiler {
  protected override visitLimit(node: LimitNode): void {
    super.visitLimit(node);
    if (ValueNode.is(node.limit)) this.append(' + 0');
  }
}

class QuireSqliteDialect extends SqliteDialect {
  override createQueryCompiler(): QueryCompiler {
    return new LimitKeepsPlanCompiler();
  }
}

function openSqlite(file: string): DatabaseHandle {
  if (file !== ':memory:') fs.mkdirSync(path.dirname(path.resolve(file)), { recursive: true });
  const sqlite = new SQLite(file);
  sqlite.pragma('journal_mode = WAL');
  sqlite.pragma('synchronous = NORMAL');
  sqlite.pragma('foreign_keys = ON');
  // Several workers share one file: wait for a lock instead of failing at once.
  sqlite.pragma('busy_timeout = 5000');
  const db = new Kysely<Database>({ dialect: new QuireSqliteDialect({ database: withStatementCache(sqlite) }), log: recordQuery });
  return {
    db,
    dialect: 'sqlite',
    label: `sqlite:${file}`,
    sqliteFile: sqlite.memory ? undefined : path.resolve(file),
    untimed: db,
    ping: async () => { await sql`select 1`.execute(db); },
    close: () => db.destroy(),
  };
}

function openMysql(url: string, opts: DatabaseOptions): DatabaseHandle {
  // Loaded only for MySQL: a SQLite worker boots faster and smaller without mysql2 (docs/decisions/20-idle-memory.md).
  const { createPool } = createRequire(import.meta.url)('mysql2') as { createPool: typeof CreatePool };
  const parsed = new URL(url.replace(/^mariadb:/, 'mysql:'));
  const pool = createPool({
    host: parsed.hostname,
    port: Number(parsed.port || 3306),
    user: decodeURIComponent(parsed.username),
    password: decodeURIComponent(parsed.password),
    database: decodeURIComponent(parsed.pathname.slice(1)),
    connectionLimit: opts.poolSize ?? 10,
    // 0 is mysql2's "no limit"; beyond the limit getConnection fails at once (a 503, see mysql-pool.ts).
    queueLimit: opts.queueLimit ?? 0,
    charset: 'utf8mb4',
    timezone: 'Z',
    // Covers the server's greeting too: a host that accepts the connection and says nothing is given up on.
    connectTimeout: opts.timeoutMs ?? 5000,
    // A peer that vanished without closing (host down, link cut) is found by the kernel's probes
    // after 10 s idle, instead of Linux's default two hours.
    enableKeepAlive: true,
    keepAliveInitialDelay: 10_000,
    supportBigNumbers: true,
  });
  const db = new Kysely<Database>({ dialect: new MysqlDialect({ pool: opts.timeoutMs ? timedPool(pool, opts.timeoutMs) : pool }), log: recordQuery });
  // A second Kysely over the same mysql2 pool, without deadlines; closing it leaves the pool to db.
  const untimed = opts.timeoutMs
    ? new Kysely<Database>({ dialect: new MysqlDialect({ pool: { getConnection: (cb) => pool.getConnection(cb), end: (cb) => cb(null) } }), log: recordQuery })
    : db;
  parsed.password = parsed.password ? '***' : '';
  return {
    db,
    dialect: 'mysql',
    label: parsed.toString(),
    untimed,
    ping: async () => { await sql`select 1`.execute(db); },
    close: async () => {
      if (untimed !== db) await untimed.destroy();
      await db.destroy();
    },
  };
}

/** True on MySQL/MariaDB, for the few statements whose SQL differs from SQLite's. */
export const isMysql = (db: Db): boolean => db.getExecutor().adapter instanceof MysqlAdapter;

/**
 * Insert, or update the row the key already names: MySQL's ON DUPLICATE KEY UPDATE, SQLite's
 * ON CONFLICT (key) DO UPDATE. In changes, a bare column name is the existing row's value on both.
 * Use with $call: db.insertInto(t).values(v).$call(orUpdate(db, 'key', changes)).
 */
export function orUpdate<TB extends keyof Database & string, O>(db: Db, key: keyof Database[TB] & string, changes: Parameters<InsertQueryBuilder<Database, TB, O>['onDuplicateKeyUpdate']>[0]) {
  const mysql = isMysql(db);
  return (insert: InsertQueryBuilder<Database, TB, O>) =>
    (mysql ? insert.onDuplicateKeyUpdate(changes) : insert.onConflict((oc) => oc.column(key as never).doUpdateSet(changes as never)));
}

/** True when err is a unique-key violation, on either database. */
export function isUniqueViolation(err: unknown): boolean {
  const code = (err as { code?: string } | null)?.code;
  return code === 'ER_DUP_ENTRY' || code === 'SQLITE_CONSTRAINT_UNIQUE' || code === 'SQLITE_CONSTRAINT_PRIMARYKEY';
}

/** True when InnoDB rolled this transaction back to break a deadlock: running it again is the cure. */
export function isDeadlock(err: unknown): boolean {
  return (err as { code?: string } | null)?.code === 'ER_LOCK_DEADLOCK';
}

const TRANSACTION_ATTEMPTS = 4;

/**
 * Runs work in one transaction. When InnoDB picks it as a deadlock's victim, it has rolled the
 * whole transaction back, so work runs again from the start (after a short random pause, so the two
 * do not meet again at once), up to TRANSACTION_ATTEMPTS times in all; any other error is thrown as
 * it is. work must write only through trx and have no other side effects.
 */
export async function inTransaction<T>(db: Db, work: (trx: Db) => Promise<T>): Promise<T> {
  for (let attempt = 1; ; attempt++) {
    try {
      return await db.transaction().execute(work);
    } catch (err) {
      if (!isDeadlock(err) || attempt >= TRANSACTION_ATTEMPTS) throw err;
      await sleep(Math.random() * 10 * attempt);
    }
  }
}
