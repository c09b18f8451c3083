// Real services for tests: MariaDB and Redis on 127.0.0.1. When one cannot be reached a suite
// skips with a loud message on a laptop, and fails when CI=true.
import net from 'node:net';
import { randomBytes } from 'node:crypto';
import { createConnection } from 'mysql2/promise';

export const MYSQL_ADMIN_URL = process.env.TEST_MYSQL_URL ?? 'mysql://root@127.0.0.1:3306/test';
export const REDIS_TEST_URL = process.env.TEST_REDIS_URL ?? 'redis://127.0.0.1:6379';

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
 * Returns undefined when the service answers, or a skip reason. Under CI=true a missing
 * service throws instead, so the run fails rather than silently testing less.
 */
export async function needService(name: string, url: string): Promise<string | undefined> {
  const u = new URL(url);
  if (await portAnswers(u.hostname, Number(u.port))) return undefined;
  const message = `${name} is not answering at ${u.host}`;
  if (process.env.CI === 'true') throw new Error(`${message} (CI=true: a missing service is a failure)`);
  process.stderr.write(`\n!!! SKIPPING: ${message}. Start it to run these tests.\n\n`);
  return message;
}

/** Creates a fresh, uniquely named database and returns its URL and a drop function. */
export async function createMysqlDatabase(prefix = 'quire_test'): Promise<{ url: string; drop(): Promise<void> }> {
  const admin = new URL(MYSQL_ADMIN_URL);
  const name = `${prefix}_${randomBytes(4).toString('hex')}`;
  const connect = () => createConnection({
    host: admin.hostname, port: Number(admin.port || 3306),
    user: decodeURIComponent(admin.username), password: decodeURIComponent(admin.password),
  });
  const conn = await connect();
  await conn.query(`CREATE DATABASE \`${name}\` CHARACTER SET utf8mb4 COLLATE utf8mb4_bin`);
  await conn.end();
  const url = new URL(MYSQL_ADMIN_URL);
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
