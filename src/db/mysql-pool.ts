// The mysql2 pool as Kysely sees it, with every call bounded in time: waiting for a connection and
// running the query take at most timeoutMs together, and a connection whose query timed out is
// destroyed, never handed back to the pool with a reply still owed (docs/decisions/19-timeouts.md).
import type { Socket } from 'node:net';
import type { MysqlPool, MysqlPoolConnection, MysqlQueryResult } from 'kysely';
import type { Pool, PoolConnection } from 'mysql2';
import { DependencyError } from '../core/errors.js';

/**
 * How often the pool looks for calls past their deadline, so a deadline is kept to within this. One
 * sweep for every call in flight instead of a timer per call: a timer set and cleared per query cost
 * more CPU than the rest of the wrapper together (docs/decisions/19-timeouts.md).
 */
const SWEEP_MS = 50;

/** True when err says the database did not answer in time, or too many were waiting for it (as opposed to refusing or closing). */
export function isDatabaseTimeout(err: unknown): boolean {
  const code = (err as { code?: unknown } | null)?.code;
  return code === 'DATABASE_TIMEOUT' || code === 'DATABASE_BUSY' || code === 'ETIMEDOUT';
}

/**
 * mysql2's pool refuses a call with a bare Error, no code: "Queue limit reached." or, once ended,
 * "Pool is closed.". The server's errors and the network's have a code, and mysql2 marks those that
 * broke a connection fatal; so an error with neither is the pool's refusal, and which one is known
 * from whether this pool was ended, not from the text (docs/decisions/20-dependency-errors.md).
 */
function refusal(err: Error, ended: boolean): Error {
  const { code, fatal } = err as { code?: unknown; fatal?: unknown };
  if (code !== undefined || fatal === true) return err;
  return ended
    ? new DependencyError('DATABASE_CLOSED', 'the database pool is closed', { cause: err })
    : new DependencyError('DATABASE_BUSY', 'too many requests waiting for a database connection', { cause: err });
}

/**
 * A query given up on may still be answered, so its connection cannot go back to the pool: the next
 * query would wait behind that reply (mysql2 runs one command at a time), maybe for ever. Closed
 * hard: a graceful end waits on the silent peer too.
 */
function destroy(connection: PoolConnection): void {
  connection.destroy();
  (connection as unknown as { stream?: Socket }).stream?.destroy();
}

/** A call in flight: its deadline, and what to do when it passes (set by whoever is waiting: the acquire, then the query). */
interface Call { deadline: number; expire: () => void }

/** The calls in flight, and one sweep that expires those past their deadline. */
function deadlines() {
  const calls = new Set<Call>();
  const sweep = setInterval(() => {
    const now = Date.now();
    for (const call of calls) {
      if (call.deadline > now) continue;
      calls.delete(call);
      call.expire();
    }
  }, SWEEP_MS).unref();
  return {
    start(ms: number, expire: () => void): Call {
      const call = { deadline: Date.now() + ms, expire };
      calls.add(call);
      return call;
    },
    /** Settles call: false when it had already expired. */
    settle: (call: Call) => calls.delete(call),
    running: (call: Call) => calls.has(call),
    stop: () => clearInterval(sweep),
  };
}

type Deadlines = ReturnType<typeof deadlines>;

/** A pooled connection as Kysely sees it; one per mysql2 connection, so Kysely keeps its own wrapper of it too. */
interface TimedConnection extends MysqlPoolConnection {
  /** The acquire's call, still running: the first query after it shares its deadline. */
  acquired?: Call;
}

function timedConnection(connection: PoolConnection, clock: Deadlines, timeoutMs: number): TimedConnection {
  const timedOut = () => new DependencyError('DATABASE_TIMEOUT', `no answer from the database within ${timeoutMs} ms`);
  function query(sql: string, parameters: unknown[]): { stream: never };
  function query(sql: string, parameters: unknown[], callback: (error: unknown, result: MysqlQueryResult) => void): void;
  function query(sql: string, parameters: unknown[], callback?: (error: unknown, result: MysqlQueryResult) => void) {
    // Streams (Kysely's .stream(), used by no request) are read at the caller's pace: no deadline fits them.
    if (!callback) return connection.query(sql, parameters) as unknown as { stream: never };
    const expire = () => {
      destroy(connection);
      callback(timedOut(), undefined as never);
    };
    // The first query after an acquire shares its deadline; later ones (in a transaction) get timeoutMs each.
    let call = timed.acquired;
    timed.acquired = undefined;
    // The whole budget went on the wait: give up before sending anything (the connection stays good).
    if (call && !clock.running(call)) return callback(timedOut(), undefined as never);
    if (call) call.expire = expire;
    else call = clock.start(timeoutMs, expire);
    const mine = call;
    connection.query(sql, parameters, (err, result) => {
      if (clock.settle(mine)) callback(err, result as MysqlQueryResult);
    });
  }
  const timed: TimedConnection = {
    query,
    release() {
      // Released without a query (nothing Kysely does, but cheap to be sure of): the acquire's call is over.
      if (timed.acquired) clock.settle(timed.acquired);
      timed.acquired = undefined;
      connection.release();
    },
  };
  return timed;
}

/**
 * Kysely's pool over mysql2's. A caller that gave up waiting leaves its place in mysql2's queue
 * (bounded by the pool's queueLimit); the connection it is handed later goes straight back.
 */
export function timedPool(pool: Pool, timeoutMs: number): MysqlPool {
  const clock = deadlines();
  const wrappers = new WeakMap<PoolConnection, TimedConnection>();
  let ended = false;
  return {
    getConnection(callback) {
      let gaveUp = false;
      const call = clock.start(timeoutMs, () => {
        gaveUp = true;
        callback(new DependencyError('DATABASE_TIMEOUT', `no database connection within ${timeoutMs} ms`), undefined as never);
      });
      pool.getConnection((err, connection) => {
        if (gaveUp) {
          connection?.release();
          return;
        }
        if (err) {
          clock.settle(call);
          callback(refusal(err, ended), undefined as never);
          return;
        }
        let timed = wrappers.get(connection);
        if (!timed) wrappers.set(connection, (timed = timedConnection(connection, clock, timeoutMs)));
        // Until the query takes it over, running out means nothing: the connection is idle and healthy.
        call.expire = () => undefined;
        timed.acquired = call;
        callback(null, timed);
      });
    },
    end(callback) {
      ended = true;
      clock.stop();
      pool.end(callback);
    },
  };
}
