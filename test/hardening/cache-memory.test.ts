// The response cache's memory is bounded whatever URLs anonymous readers ask for: unique query
// strings, unknown parameters, page numbers and tags, at 50 connections, leave a real server
// process's RSS within CACHE_MAX_MB + 40 MB of where it started, and a pm2 worker started with the
// shipped heap limit (deploy/runtime.cjs) survives a burst of them.
// QUIRE_CACHE_MEMORY_SECONDS sets the length of the lone process's load (15 s here; the 60 s
// run is in docs/decisions/19-cache-memory.md): the cache fills its cap within the first seconds, and
// what is measured after that is whether it stays there. The pm2 burst lasts 30 s, long enough to
// kill a worker of the unbounded cache (docs/decisions/19-cache-memory.md).
import { after, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { spawn, type ChildProcess } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { createRequire } from 'node:module';
import { fileURLToPath } from 'node:url';
import autocannon from 'autocannon';
import { apiClient, rawRequest } from '../../support/client.js';
import { ensureBuilt } from '../../support/build.js';
import { freePort, MYSQL_ADMIN_URL, needService, REDIS_TEST_URL } from '../../support/services.js';
import { startCluster, type Cluster } from '../cluster/pm2-harness.js';

const root = fileURLToPath(new URL('../..', import.meta.url));
const runtime = createRequire(import.meta.url)('../../deploy/runtime.cjs') as { nodeArgs: string[]; env: Record<string, string> };
const SECONDS = Number(process.env.QUIRE_CACHE_MEMORY_SECONDS ?? 15);
const BURST_SECONDS = 30;
const CACHE_MAX_MB = 8;
const MB = 1024 * 1024;

/** Anonymous URLs no reader asked for before: junk parameters, new tags, new page numbers, new API filters, in turn. */
const everyKind = [
  (i: number) => `/?utm_source=${i}&ref=${i.toString(36)}`,
  (i: number) => `/api/articles?tag=t${i}&junk=${i}`,
  (i: number) => `/tag/unique-${i}`,
  (i: number) => `/?page=${2 + (i % 99_000)}`,
  (i: number) => `/api/articles?author=a${i}&limit=${1 + (i % 100)}`,
];
/**
 * The cheapest to render and the smallest to keep, with 12 KB of junk each: what filled a worker's
 * heap fastest when the cap counted body bytes only (a 35-byte body under a 12 KB key).
 */
const tinyBodies = [
  (i: number) => `/api/articles?tag=t${i}&pad=${'x'.repeat(12_000)}`,
  (i: number) => `/api/articles?pad=${'y'.repeat(12_000)}&author=a${i}`,
];

function uniqueUrls(kinds: ((i: number) => string)[]): () => string {
  let n = 0;
  return () => { n++; return kinds[n % kinds.length]!(n); };
}

/** Unique-URL reads at 50 connections for `seconds`; resolves to how many were answered, by status class. */
async function uniqueLoad(url: string, seconds: number, kinds = everyKind): Promise<{ total: number; ok: number }> {
  const next = uniqueUrls(kinds);
  const result = await autocannon({
    url, connections: 50, duration: seconds,
    requests: [{ method: 'GET', setupRequest: (req: autocannon.Request) => ({ ...req, path: next() }) }],
  });
  return { total: result.requests.total, ok: result['2xx'] };
}

function rssOf(pid: number): number {
  const line = /VmRSS:\s+(\d+) kB/.exec(fs.readFileSync(`/proc/${pid}/status`, 'utf8'));
  return Number(line![1]) * 1024;
}

/** Samples pid's RSS every 200 ms until stopped; the peak. */
function sampleRss(pid: number): { stop(): number } {
  let peak = rssOf(pid);
  const timer = setInterval(() => { try { peak = Math.max(peak, rssOf(pid)); } catch { /* exited: the test sees it */ } }, 200);
  return { stop() { clearInterval(timer); return Math.max(peak, rssOf(pid)); } };
}

interface Www { child: ChildProcess; url: string; exited: Promise<number | null>; stop(): Promise<void> }

/** The real server (src/bin/www.ts) with the production worker's Node flags, on SQLite in a temp dir. */
async function startWww(env: Record<string, string>): Promise<Www> {
  const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'quire-cache-memory-'));
  const port = await freePort();
  const child = spawn(process.execPath, [...runtime.nodeArgs, '--import', 'tsx', 'src/bin/www.ts'], {
    cwd: root,
    env: {
      PATH: process.env.PATH ?? '', HOME: process.env.HOME ?? dataDir, ...runtime.env,
      NODE_ENV: 'production', HOST: '127.0.0.1', PORT: String(port), DATA_DIR: dataDir, LOG_DIR: path.join(dataDir, 'logs'),
      DATABASE_URL: `sqlite:${path.join(dataDir, 'quire.db')}`,
      QUIRE_SECRET: 'test-secret-that-is-long-enough-0123456789', LOG_LEVEL: 'warn', ...env,
    },
    stdio: ['ignore', 'ignore', 'pipe'],
  });
  let stderr = '';
  child.stderr!.setEncoding('utf8').on('data', (chunk: string) => { stderr += chunk; });
  const exited = new Promise<number | null>((resolve) => child.once('exit', (code) => resolve(code)));
  const url = `http://127.0.0.1:${port}`;
  const deadline = Date.now() + 30_000;
  while (!(await fetch(`${url}/healthz`).then((r) => r.ok, () => false))) {
    if (child.exitCode !== null || Date.now() > deadline) throw new Error(`www did not start; stderr: ${stderr}`);
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
  return {
    child, url, exited,
    async stop() {
      if (child.exitCode === null && child.signalCode === null) child.kill('SIGTERM');
      await exited;
      fs.rmSync(dataDir, { recursive: true, force: true });
    },
  };
}

describe('a lone server process under unique-URL reads', () => {
  let www: Www | undefined;
  after(() => www?.stop());

  test(`when 50 connections read unique URLs for ${SECONDS} s, then RSS stays within CACHE_MAX_MB + 40 MB of where it started`, async (t) => {
    // The access log is off: it is measured on its own (test/logs), and here only the cache's memory is.
    www = await startWww({ CACHE_MAX_MB: String(CACHE_MAX_MB), ACCESS_LOG: 'off' });
    const api = apiClient(www.url);
    const { token } = await api.register('memory');
    for (let i = 0; i < 3; i++) await api.post('/articles', { article: { title: `Memory ${i}`, description: 'd', body: 'b', tagList: ['memory'] } }, token);
    // Every kind of page rendered once, so what was loaded lazily is in the starting figure.
    for (const path of ['/', '/tag/memory', '/api/articles', '/api/articles?tag=memory', '/?page=2']) await (await fetch(`${www.url}${path}`)).arrayBuffer();
    const pid = www.child.pid!;
    const start = rssOf(pid);
    const rss = sampleRss(pid);
    const load = await uniqueLoad(www.url, SECONDS);
    const peak = rss.stop();
    const end = rssOf(pid);
    const bound = start + (CACHE_MAX_MB + 40) * MB;
    const figures = `${load.total} requests (${load.ok} 2xx); RSS ${(start / MB).toFixed(1)} MB at start, peak ${(peak / MB).toFixed(1)}, end ${(end / MB).toFixed(1)}`;
    t.diagnostic(figures);
    assert.ok(load.ok > load.total * 0.99, figures);
    assert.ok(peak <= bound, `${figures}; bound ${(bound / MB).toFixed(1)} MB`);
    const again = await fetch(`${www.url}/tag/memory`);
    await again.arrayBuffer();
    assert.equal((await fetch(`${www.url}/tag/memory`)).headers.get('x-cache'), 'HIT', 'the cache still serves');
  });
});

const clusterSkip = (await needService('MariaDB', MYSQL_ADMIN_URL)) ?? (await needService('Redis', REDIS_TEST_URL));

describe('a pm2 worker with the shipped heap limit under unique-URL reads', () => {
  let cluster: Cluster | undefined;
  after(() => cluster?.stop());

  test('when a burst of unique URLs arrives, then the worker survives: same process, no restart, still answering', async (t) => {
    if (clusterSkip) return t.skip(clusterSkip);
    await ensureBuilt();
    cluster = await startCluster(1);
    const [before] = await cluster.workers();
    const load = await uniqueLoad(cluster.url, BURST_SECONDS, tinyBodies);
    const [afterLoad] = await cluster.workers();
    t.diagnostic(`pm2 worker: ${load.total} requests (${load.ok} 2xx)`);
    assert.equal(afterLoad?.pid, before!.pid, 'the same worker process');
    assert.equal(afterLoad?.restarts, before!.restarts, 'no restart');
    assert.equal(afterLoad?.status, 'online');
    assert.ok(load.ok > load.total * 0.99, `${load.ok} of ${load.total} answered 2xx`);
    // On a connection of its own: one fetch kept alive from before the burst may have been closed by the server since.
    assert.equal((await rawRequest(`${cluster.url}/healthz`)).status, 200);
    assert.ok(!cluster.appLog().some((line) => /heap out of memory/i.test(String(line.msg ?? ''))), 'no heap exhaustion logged');
  });
});
