// The mysql2 pool as Kysely sees it, with every call bounded in time: waiting for a connection and
// running the query take at most timeoutMs together, and a connection whose query timed out is
// destroyed, never handed back to the pool with a reply still owed (docs/decisions/19-timeouts.md).
import type { Socket } from 'node:net';
import type { MysqlPool, MysqlPoolConnection, MysqlQueryResult } from 'kysely';
import type { Pool, PoolConnection } from 'mysql2';

/** Error codes of the calls this pool gave up on; errors.ts counts both as "the database is unavailable". */
export const DATABASE_TIMEOUT = 'DATABASE_TIMEOUT';
export const DATABASE_BUSY = 'DATABASE_BUSY';
/** mysql2's code for a query that outlived its `timeout`. */
const QUERY_TIMEOUT = 'PROTOCOL_SEQUENCE_TIMEOUT';

const failure = (code: string, message: string) => Object.assign(new Error(message), { code });

/** True when err says the database did not answer in time (as opposed to refusing or closing). */
export function isDatabaseTimeout(err: unknown): boolean {
  const code = (err as { code?: unknown } | null)?.code;
  return code === DATABASE_TIMEOUT || code === QUERY_TIMEOUT || code === 'ETIMEDOUT' || code === DATABASE_BUSY;
}

/**
 * mysql2 leaves a timed-out query as its connection's current command, so the next query on it
 * would wait behind a reply that may never come. Closed hard: a graceful end waits on the peer too.
 */
function destroy(connection: PoolConnection): void {
  connection.destroy();
  (connection as unknown as { stream?: Socket }).stream?.destroy();
}

/** A pooled connection as Kysely sees it; one per mysql2 connection, so Kysely keeps its own wrapper of it too. */
interface TimedConnection extends MysqlPoolConnection {
  /** The first query after an acquire shares the deadline of the wait for the connection; later ones (in a transaction) get timeoutMs each. */
  deadline?: number;
}

function timedConnection(connection: PoolConnection, timeoutMs: number): TimedConnection {
  function query(sql: string, parameters: unknown[]): { stream: never };
  function query(sql: string, parameters: unknown[], callback: (error: unknown, result: MysqlQueryResult) => void): void;
  function query(sql: string, parameters: unknown[], callback?: (error: unknown, result: MysqlQueryResult) => void) {
    // Streams (Kysely's .stream(), used by no request) are read at the caller's pace: no deadline fits them.
    if (!callback) return connection.query(sql, parameters) as unknown as { stream: never };
    const timeout = timed.deadline === undefined ? timeoutMs : Math.max(1, timed.deadline - Date.now());
    timed.deadline = undefined;
    connection.query({ sql, values: parameters, timeout }, (err, result) => {
      if ((err as { code?: unknown } | null)?.code === QUERY_TIMEOUT) destroy(connection);
      callback(err, result as MysqlQueryResult);
    });
  }
  const timed: TimedConnection = { query, release: () => connection.release() };
  return timed;
}

/**
 * Kysely's pool over mysql2's. A caller that gave up waiting leaves its place in mysql2's queue
 * (bounded by the pool's queueLimit); the connection it is handed later goes straight back.
 */
export function timedPool(pool: Pool, timeoutMs: number): MysqlPool {
  const wrappers = new WeakMap<PoolConnection, TimedConnection>();
  return {
    getConnection(callback) {
      const deadline = Date.now() + timeoutMs;
      let gaveUp = false;
      const timer = setTimeout(() => {
        gaveUp = true;
        callback(failure(DATABASE_TIMEOUT, `no database connection within ${timeoutMs} ms`), undefined as never);
      }, timeoutMs);
      pool.getConnection((err, connection) => {
        if (gaveUp) {
          connection?.release();
          return;
        }
        clearTimeout(timer);
        if (err) {
          const full = /Queue limit reached/.test(err.message);
          callback(full ? failure(DATABASE_BUSY, 'too many requests waiting for a database connection') : err, undefined as never);
          return;
        }
        let timed = wrappers.get(connection);
        if (!timed) wrappers.set(connection, (timed = timedConnection(connection, timeoutMs)));
        timed.deadline = deadline;
        callback(null, timed);
      });
    },
    end: (callback) => pool.end(callback),
  };
}
