// A real pm2 cluster of compiled Quire for one test: its own PM2_HOME, port, log directory,
// MariaDB database and Redis prefix, started from deploy/ecosystem.config.cjs exactly as
// `npm run cluster` does, and always torn down with `pm2 kill`.
import { execFile } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { randomBytes } from 'node:crypto';
import { promisify } from 'node:util';
import { createMysqlDatabase, freePort, REDIS_TEST_URL } from '../../support/services.js';
import { root } from '../../support/build.js';

const exec = promisify(execFile);
const pm2Bin = path.join(root, 'node_modules', '.bin', 'pm2');

export interface Pm2Worker { pmId: number; pid: number; status: string; restarts: number }

export interface Cluster {
  url: string;
  databaseUrl: string;
  pm2(...args: string[]): Promise<string>;
  workers(): Promise<Pm2Worker[]>;
  /** The JSON lines the workers logged: LOG_DIR's files and pm2.log (where pino's direct writes to fd 1 land in cluster mode). */
  appLog(): Array<{ msg?: string; pid?: number; ms?: number; [key: string]: unknown }>;
  /** Resolves once `count` workers are online and /healthz answers. */
  waitOnline(count: number, timeoutMs?: number): Promise<Pm2Worker[]>;
  stop(): Promise<void>;
}

export async function startCluster(workers: number): Promise<Cluster> {
  const home = fs.mkdtempSync(path.join(os.tmpdir(), 'quire-pm2-'));
  const port = await freePort();
  const mysql = await createMysqlDatabase('quire_cluster');
  const env = {
    ...process.env,
    PM2_HOME: home,
    QUIRE_WORKERS: String(workers),
    QUIRE_PM2_NAME: 'quire',
    PORT: String(port),
    HOST: '127.0.0.1',
    DATABASE_URL: mysql.url,
    REDIS_URL: REDIS_TEST_URL,
    REDIS_PREFIX: `quire-test-${randomBytes(4).toString('hex')}:`,
    QUIRE_SECRET: 'cluster-test-secret-that-is-long-enough-0123',
    DATA_DIR: path.join(home, 'data'),
    LOG_DIR: path.join(home, 'logs'),
    LOG_LEVEL: 'info',
    SHUTDOWN_TIMEOUT_MS: '5000',
    // The load tests write as one account as fast as autocannon can (hundreds a second): load, not a real author.
    WRITE_LIMIT_PER_ACCOUNT: '1000000',
    WRITE_LIMIT_PER_ADDRESS: '1000000',
  };
  const pm2 = async (...args: string[]) => (await exec(pm2Bin, args, { cwd: root, env, timeout: 60_000 })).stdout;
  const url = `http://127.0.0.1:${port}`;
  const list = async (): Promise<Pm2Worker[]> => {
    const apps = JSON.parse(await pm2('jlist')) as Array<{ pm_id: number; pid: number; pm2_env: { status: string; restart_time: number } }>;
    return apps.map((a) => ({ pmId: a.pm_id, pid: a.pid, status: a.pm2_env.status, restarts: a.pm2_env.restart_time }));
  };
  const cluster: Cluster = {
    url,
    databaseUrl: mysql.url,
    pm2,
    workers: list,
    appLog() {
      const dir = env.LOG_DIR;
      const files = fs.existsSync(dir) ? fs.readdirSync(dir).filter((f) => f.endsWith('.log')).map((f) => path.join(dir, f)) : [];
      files.push(path.join(home, 'pm2.log'));
      return files.filter((f) => fs.existsSync(f)).flatMap((f) => fs.readFileSync(f, 'utf8').split('\n'))
        .filter((line) => line.startsWith('{'))
        .map((line) => { try { return JSON.parse(line) as { msg?: string }; } catch { return {}; } });
    },
    async waitOnline(count, timeoutMs = 30_000) {
      const deadline = Date.now() + timeoutMs;
      for (;;) {
        const ws = await list();
        const healthy = await fetch(`${url}/healthz`).then((r) => r.ok, () => false);
        if (healthy && ws.length === count && ws.every((w) => w.status === 'online' && w.pid > 0)) return ws;
        if (Date.now() > deadline) throw new Error(`cluster not online: ${JSON.stringify(ws)}`);
        await new Promise((resolve) => setTimeout(resolve, 200));
      }
    },
    async stop() {
      await pm2('kill').catch(() => undefined);
      await mysql.drop().catch(() => undefined);
      fs.rmSync(home, { recursive: true, force: true });
    },
  };
  try {
    await pm2('start', 'deploy/ecosystem.config.cjs', '--env', 'production');
    await cluster.waitOnline(workers);
  } catch (err) {
    await cluster.stop();
    throw err;
  }
  return cluster;
}
