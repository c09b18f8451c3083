// The pm2 cluster as operators run it (deploy/ecosystem.config.cjs on compiled code, MariaDB and
// Redis): a reload under mixed load loses nothing, and a worker killed with -9 comes back.
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { randomUUID } from 'node:crypto';
import autocannon from 'autocannon';
import { createConnection } from 'mysql2/promise';
import { apiClient } from '../../support/client.js';
import { MYSQL_ADMIN_URL, needService, REDIS_TEST_URL } from '../../support/services.js';
import { ensureBuilt } from '../../support/build.js';
import { startCluster, type Cluster } from './pm2-harness.js';

const skip = (await needService('MariaDB', MYSQL_ADMIN_URL)) ?? (await needService('Redis', REDIS_TEST_URL));

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

/** Mixed load: GET a page of articles, POST a new one, over and over; collects the slugs of 201s. */
function mixedLoad(url: string, token: string, seconds: number) {
  const slugs: string[] = [];
  const failures: string[] = [];
  let n = 0;
  // A response can be matched to the wrong entry after autocannon reconnects, so read the body, not the entry.
  const onResponse = (status: number, body: string) => {
    if (status >= 300) failures.push(`${status} ${body.slice(0, 200)}`);
    if (status !== 201) return;
    const slug = (JSON.parse(body) as { article?: { slug?: string } }).article?.slug;
    if (slug) slugs.push(slug);
  };
  const run = autocannon({
    url,
    connections: 8,
    duration: seconds,
    requests: [
      { method: 'GET', path: '/api/articles?limit=5', onResponse },
      {
        method: 'POST',
        path: '/api/articles',
        headers: { 'content-type': 'application/json', authorization: `Token ${token}` },
        setupRequest: (req) => ({ ...req, body: JSON.stringify({ article: { title: `load ${++n} ${randomUUID()}`, description: 'd', body: 'b', tagList: ['load'] } }) }),
        onResponse,
      },
    ],
  });
  return { run, slugs, failures };
}

async function countArticles(databaseUrl: string, slugs: string[]) {
  const conn = await createConnection(databaseUrl);
  try {
    const [all] = await conn.query('SELECT COUNT(*) AS n FROM articles');
    const [found] = slugs.length ? await conn.query('SELECT COUNT(*) AS n FROM articles WHERE slug IN (?)', [slugs]) : [[{ n: 0 }]];
    return { total: Number((all as Array<{ n: number }>)[0]!.n), found: Number((found as Array<{ n: number }>)[0]!.n) };
  } finally {
    await conn.end();
  }
}

describe('pm2 cluster', { skip, timeout: 180_000 }, () => {
  before(ensureBuilt, { timeout: 120_000 });

  let cluster: Cluster | undefined;
  after(async () => { await cluster?.stop(); });

  test('when the 2-worker cluster is reloaded under mixed reads and writes, then no request fails and every acknowledged write is stored', async (t) => {
    cluster = await startCluster(2);
    try {
      const before = await cluster.workers();
      const { token } = await apiClient(cluster.url).register(`reload${randomUUID().slice(0, 8)}`);
      const { run, slugs, failures } = mixedLoad(cluster.url, token, 10);
      await sleep(3000);
      const reloadStarted = Date.now();
      await cluster.pm2('reload', 'deploy/ecosystem.config.cjs', '--env', 'production');
      const reloadMs = Date.now() - reloadStarted;
      const result = await run;
      const afterReload = await cluster.waitOnline(2);
      const stored = await countArticles(cluster.databaseUrl, slugs);
      const log = cluster.appLog();
      const drains = log.filter((l) => l.msg === 'stopped').map((l) => l.ms);
      const forced = log.filter((l) => l.msg === 'connections still open at the drain deadline were closed').length;
      t.diagnostic(`reload took ${reloadMs} ms (old workers drained in ${drains.join(', ')} ms, ${forced} forced); ${result.requests.total} responses to ${result.requests.sent} requests in 10 s (${result['2xx']} 2xx, ${slugs.length} writes), ${result.errors} errors, ${result.timeouts} timeouts, ${result.non2xx} non-2xx; ${stored.found}/${slugs.length} acknowledged writes found, ${stored.total} articles in the database`);
      assert.ok(afterReload.every((w) => !before.some((b) => b.pid === w.pid)), 'every worker was replaced');
      // Two cores shared with other suites: the figure is small when the machine is busy.
      assert.ok(result.requests.total > 100, `too little load to prove anything: ${result.requests.total}`);
      assert.equal(result.errors, 0);
      assert.equal(result.timeouts, 0);
      assert.equal(result.non2xx, 0, failures.join('\n'));
      assert.equal(stored.found, slugs.length, 'every write answered 201 is in the database');
      assert.equal(forced, 0, 'every old worker drained before its deadline');
      // Writes still in flight when autocannon stopped (one per connection at most) are stored unacknowledged.
      assert.ok(stored.total - slugs.length <= 8, `${stored.total - slugs.length} writes stored beyond those acknowledged`);
    } finally {
      await cluster.stop();
      cluster = undefined;
    }
  });

  test('when a worker is killed with -9 under load, then pm2 restarts it and only a few requests fail', async (t) => {
    cluster = await startCluster(2);
    try {
      const [victim] = await cluster.workers();
      const { token } = await apiClient(cluster.url).register(`crash${randomUUID().slice(0, 8)}`);
      const { run } = mixedLoad(cluster.url, token, 6);
      await sleep(2000);
      process.kill(victim!.pid, 'SIGKILL');
      const result = await run;
      const workers = await cluster.waitOnline(2);
      const failed = result.errors + result.non2xx;
      t.diagnostic(`kill -9 of pid ${victim!.pid}: ${result.requests.total} requests, ${failed} failed (${result.errors} errors, ${result.timeouts} timeouts, ${result.non2xx} non-2xx); workers now ${workers.map((w) => `${w.pid}(restarts ${w.restarts})`).join(', ')}`);
      assert.ok(!workers.some((w) => w.pid === victim!.pid), 'the killed worker was replaced');
      assert.equal(workers.reduce((sum, w) => sum + w.restarts, 0), 1);
      assert.ok(result.requests.total > 50, `too little load: ${result.requests.total}`);
      // Only what was in flight on the killed worker (at most one request per connection) may fail.
      assert.ok(failed <= 8, `${failed} failures`);
      assert.equal((await fetch(`${cluster.url}/api/articles?limit=1`)).status, 200);
    } finally {
      await cluster.stop();
      cluster = undefined;
    }
  });
});
