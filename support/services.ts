// Real services for tests: MariaDB and Redis on 127.0.0.1. When one cannot be reached a suite
// skips with a loud message on a laptop, and fails when CI=true.
import net from 'node:net';
import { randomBytes } from 'node:crypto';
import { createConnection } from 'mysql2/promise';

export const MYSQL_ADMIN_URL = process.env.TEST_MYSQL_URL ?? 'mysql://root@127.0.0.1:3306/test';
export const REDIS_TEST_URL = process.env.TEST_REDIS_URL ?? 'redis://127.0.0.1:6379';

/** A port that was free a moment ago, for a server a test starts as a separate program. */
export async function freePort(): Promise<number> {
  const server = net.createServer();
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as net.AddressInfo;
  await new Promise<void>((resolve) => server.close(() => resolve()));
  return port;
}

export function portAnswers(host: string, port: number, timeoutMs = 1000): Promise<boolean> {
  return new Promise((resolve) => {
    const socket = net.connect({ host, port });
    const done = (ok: boolean) => { socket.destroy(); resolve(ok); };
    socket.setTimeout(timeoutMs, () => done(false));
    socket.once('connect', () => done(true));
    socket.once('error', () => done(false));
  });
}

/**
 * Something a suite needs is missing: returns the skip reason, said loudly on a laptop. Under
 * CI=true it throws instead, so the run fails rather than silently testing less.
 */
export function serviceMissing(message: string): string {
  if (process.env.CI === 'true') throw new Error(`${message} (CI=true: a missing service is a failure)`);
  process.stderr.write(`\n!!! SKIPPING: ${message}.\n\n`);
  return message;
}

/** Undefined when the service answers at url, else the skip reason (see serviceMissing). */
export async function needService(name: string, url: string): Promise<string | undefined> {
  const u = new URL(url);
  if (await portAnswers(u.hostname, Number(u.port))) return undefined;
  return serviceMissing(`${name} is not answering at ${u.host}; start it to run these tests`);
}

/** Creates a fresh, uniquely named database on the server at adminUrl and returns its URL and a drop function. */
export async function createMysqlDatabase(prefix = 'quire_test', adminUrl = MYSQL_ADMIN_URL): Promise<{ url: string; drop(): Promise<void> }> {
  const admin = new URL(adminUrl);
  const name = `${prefix}_${randomBytes(4).toString('hex')}`;
  const connect = () => createConnection({
    host: admin.hostname, port: Number(admin.port || 3306),
    user: decodeURIComponent(admin.username), password: decodeURIComponent(admin.password),
  });
  const conn = await connect();
  await conn.query(`CREATE DATABASE \`${name}\` CHARACTER SET utf8mb4 COLLATE utf8mb4_bin`);
  await conn.end();
  const url = new URL(adminUrl);
  url.pathname = `/${name}`;
  return {
    url: url.toString(),
    async drop() {
      const c = await connect();
      await c.query(`DROP DATABASE IF EXISTS \`${name}\``);
      await c.end();
    },
  };
}
