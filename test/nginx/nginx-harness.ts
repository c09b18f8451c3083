// Runs a real nginx for a test: its own prefix (pid, logs, temp inside a temp dir), a free port on
// 127.0.0.1, started in the foreground so the test holds its pid and always stops it.
import { execFile, spawn } from 'node:child_process';
import fs from 'node:fs';
import http from 'node:http';
import os from 'node:os';
import path from 'node:path';
import { promisify } from 'node:util';
import { buildNginxConfig, parseUpstreamServer, type BalancingMethod } from '../../src/cli/nginx-config.js';
import { startTestServer, type TestServer } from '../../support/server.js';
import { freePort, portAnswers, serviceMissing } from '../../support/services.js';

const run = promisify(execFile);

const NGINX_BIN = ['/usr/sbin/nginx', '/usr/local/sbin/nginx', '/usr/local/nginx/sbin/nginx'].find((p) => fs.existsSync(p));

/** A skip reason when nginx is missing (a failure under CI=true, like the other real services). */
export function needNginx(): string | undefined {
  return NGINX_BIN ? undefined : serviceMissing('nginx is not installed (apt-get install -y nginx)');
}

/** A temp prefix nginx can use while running as root (workers run as nobody and must traverse it). */
export function makePrefix(): string {
  const prefix = fs.mkdtempSync(path.join(os.tmpdir(), 'quire-nginx-'));
  fs.chmodSync(prefix, 0o755);
  for (const dir of ['logs', 'temp']) fs.mkdirSync(path.join(prefix, dir), { mode: 0o755 });
  return prefix;
}

const nginxArgs = (prefix: string) => ['-p', prefix, '-c', path.join(prefix, 'nginx.conf'), '-e', path.join(prefix, 'logs', 'error.log')];

/** `nginx -t` on a config: ok, and nginx's own words. */
export async function nginxTest(config: string): Promise<{ ok: boolean; output: string }> {
  const prefix = makePrefix();
  try {
    fs.writeFileSync(path.join(prefix, 'nginx.conf'), config);
    try {
      const { stderr } = await run(NGINX_BIN!, ['-t', '-q', ...nginxArgs(prefix)]);
      return { ok: true, output: stderr };
    } catch (err) {
      return { ok: false, output: String((err as { stderr?: string }).stderr ?? err) };
    }
  } finally {
    fs.rmSync(prefix, { recursive: true, force: true });
  }
}

export interface RunningNginx {
  url: string;
  port: number;
  prefix: string;
  stop(): Promise<void>;
}

/** Starts nginx with a config built for this prefix and port; resolves once it accepts connections. */
async function startNginx(build: (opts: { prefix: string; port: number }) => string): Promise<RunningNginx> {
  const prefix = makePrefix();
  const port = await freePort();
  fs.writeFileSync(path.join(prefix, 'nginx.conf'), build({ prefix, port }));
  const child = spawn(NGINX_BIN!, [...nginxArgs(prefix), '-g', 'daemon off;'], { stdio: ['ignore', 'ignore', 'pipe'] });
  let stderr = '';
  child.stderr.on('data', (chunk) => { stderr += chunk; });
  const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
  const stop = async () => {
    if (child.exitCode === null && child.signalCode === null) child.kill('SIGTERM');
    await exited;
    fs.rmSync(prefix, { recursive: true, force: true });
  };
  for (let i = 0; i < 100 && !(await portAnswers('127.0.0.1', port, 200)); i++) {
    if (child.exitCode !== null) break;
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
  if (!(await portAnswers('127.0.0.1', port, 200))) {
    await stop();
    throw new Error(`nginx did not start: ${stderr}`);
  }
  return { url: `http://127.0.0.1:${port}`, port, prefix, stop };
}

export const INSTANCE_NAMES = ['a', 'b', 'c'] as const;

/**
 * Three instances over one SQLite file in `dir`, each naming itself in X-Served-By and trusting only
 * nginx (127.0.0.1); `env` adds to that (REDIS_URL, say).
 */
export async function startInstances(dir: string, env: Record<string, string> = {}): Promise<TestServer[]> {
  const servers: TestServer[] = [];
  for (const name of INSTANCE_NAMES) {
    servers.push(await startTestServer('sqlite', { INSTANCE_NAME: name, DATABASE_URL: `sqlite:${path.join(dir, 'shared.db')}`, TRUST_PROXY: '127.0.0.1', ...env }));
  }
  return servers;
}

export const hostPort = (s: TestServer) => new URL(s.url).host;

/** nginx over `servers` (nginx's own server syntax), with the config `quire nginx` writes. */
export function nginxFor(servers: string[], method: BalancingMethod = 'round-robin'): Promise<RunningNginx> {
  return startNginx(({ prefix, port }) => buildNginxConfig({
    servers: servers.map(parseUpstreamServer),
    method,
    listen: `127.0.0.1:${port}`,
    serverName: '_',
    publicDir: path.resolve('public'),
    bodyLimitBytes: 1024 * 1024,
    keepalive: 16,
    staticExpires: '1h',
    // One worker: its round-robin state is the whole story, so the counts are exact.
    workerProcesses: '1',
    prefix,
  }));
}

export interface Spread {
  /** Responses per X-Served-By value. */
  byInstance: Map<string, number>;
  failures: number;
}

/**
 * Sends `total` GETs with `concurrency` in flight over keep-alive connections bound to `localAddress`
 * (a 127.x.y.z source address, so nginx sees distinct clients), counting who answered.
 */
export async function spread(url: string, total: number, opts: { concurrency?: number; localAddress?: string; path?: string; headers?: Record<string, string> } = {}): Promise<Spread> {
  const agent = new http.Agent({ keepAlive: true, maxSockets: opts.concurrency ?? 10, localAddress: opts.localAddress });
  const byInstance = new Map<string, number>();
  let failures = 0;
  let started = 0;
  const one = () => new Promise<void>((resolve) => {
    const req = http.get(`${url}${opts.path ?? '/healthz'}`, { agent, headers: opts.headers }, (res) => {
      res.resume();
      res.on('end', () => {
        const name = String(res.headers['x-served-by'] ?? '?');
        if (res.statusCode === 200) byInstance.set(name, (byInstance.get(name) ?? 0) + 1);
        else failures += 1;
        resolve();
      });
    });
    req.on('error', () => { failures += 1; resolve(); });
  });
  const worker = async () => {
    while (started < total) {
      started += 1;
      await one();
    }
  };
  await Promise.all(Array.from({ length: opts.concurrency ?? 10 }, worker));
  agent.destroy();
  return { byInstance, failures };
}
