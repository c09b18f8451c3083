// nginx in front of three real Quire instances: each balancing method spreads requests as it
// promises, a stopped instance loses no GET, a token works on every instance, and the client
// address the app logs is the real one — never a forged X-Forwarded-For.
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { randomUUID } from 'node:crypto';
import autocannon from 'autocannon';
import type { BalancingMethod } from '../../src/cli/nginx-config.js';
import { apiClient, rawRequest } from '../../support/client.js';
import { startTestServer, type TestServer } from '../../support/server.js';
import { hostPort, INSTANCE_NAMES as names, needNginx, nginxFor, spread, startInstances, type RunningNginx } from './nginx-harness.js';

const share = (s: { byInstance: Map<string, number> }, name: string) => s.byInstance.get(name) ?? 0;
const near = (actual: number, expected: number, tolerance: number, what: string) =>
  assert.ok(Math.abs(actual - expected) <= tolerance, `${what}: ${actual}, expected ${expected} ± ${tolerance}`);

describe('nginx in front of three Quire instances', { skip: needNginx() }, () => {
  let dir: string;
  let servers: TestServer[];
  before(async () => {
    dir = fs.mkdtempSync(path.join(os.tmpdir(), 'quire-lb-'));
    servers = await startInstances(dir);
  });
  after(async () => {
    for (const s of servers ?? []) await s.close();
    fs.rmSync(dir, { recursive: true, force: true });
  });

  const withNginx = async (specs: string[], method: BalancingMethod, work: (nginx: RunningNginx) => Promise<void>) => {
    const nginx = await nginxFor(specs, method);
    try {
      await work(nginx);
    } finally {
      await nginx.stop();
    }
  };

  test('when the method is round-robin, then 1,000 requests spread evenly', async (t) => {
    await withNginx(servers.map(hostPort), 'round-robin', async (nginx) => {
      const s = await spread(nginx.url, 1000);
      t.diagnostic(`round-robin: ${JSON.stringify(Object.fromEntries(s.byInstance))}`);
      assert.equal(s.failures, 0);
      for (const name of names) near(share(s, name), 333, 10, name);
    });
  });

  test('when servers have weights 1, 2 and 3, then they get a sixth, a third and a half', async (t) => {
    await withNginx(servers.map((s, i) => `${hostPort(s)} weight=${i + 1}`), 'round-robin', async (nginx) => {
      const s = await spread(nginx.url, 1200);
      t.diagnostic(`weights 1:2:3: ${JSON.stringify(Object.fromEntries(s.byInstance))}`);
      assert.equal(s.failures, 0);
      near(share(s, 'a'), 200, 15, 'a');
      near(share(s, 'b'), 400, 15, 'b');
      near(share(s, 'c'), 600, 15, 'c');
    });
  });

  for (const method of ['least_conn', 'random'] as const) {
    test(`when the method is ${method}, then every instance takes a fair part`, async (t) => {
      await withNginx(servers.map(hostPort), method, async (nginx) => {
        const s = await spread(nginx.url, 1000);
        t.diagnostic(`${method}: ${JSON.stringify(Object.fromEntries(s.byInstance))}`);
        assert.equal(s.failures, 0);
        for (const name of names) assert.ok(share(s, name) >= 200 && share(s, name) <= 470, `${name}: ${share(s, name)}`);
      });
    });
  }

  for (const method of ['ip_hash', 'hash'] as const) {
    test(`when the method is ${method}, then each client address always reaches the same instance`, async (t) => {
      await withNginx(servers.map(hostPort), method, async (nginx) => {
        // ip_hash keys on the first three octets, so the clients differ in the third.
        const clients = Array.from({ length: 10 }, (_, i) => `127.0.${i + 1}.1`);
        const seen = new Set<string>();
        let total = 0;
        for (const localAddress of clients) {
          const s = await spread(nginx.url, 100, { localAddress, concurrency: 4 });
          assert.equal(s.failures, 0);
          assert.equal(s.byInstance.size, 1, `${localAddress} was served by ${[...s.byInstance.keys()].join(', ')}`);
          seen.add([...s.byInstance.keys()][0]!);
          total += [...s.byInstance.values()][0]!;
        }
        t.diagnostic(`${method}: ${clients.length} clients, ${total} requests, instances used: ${[...seen].sort().join(', ')}`);
        assert.equal(total, 1000);
        assert.ok(seen.size >= 2, 'the clients should not all hash to one instance');
      });
    });
  }

  test('when a server is marked down, then it is never used', async (t) => {
    await withNginx([hostPort(servers[0]!), hostPort(servers[1]!), `${hostPort(servers[2]!)} down`], 'round-robin', async (nginx) => {
      const s = await spread(nginx.url, 1000);
      t.diagnostic(`c down: ${JSON.stringify(Object.fromEntries(s.byInstance))}`);
      assert.equal(s.failures, 0);
      assert.equal(share(s, 'c'), 0);
      near(share(s, 'a'), 500, 10, 'a');
    });
  });

  test('when a user signs in through nginx, then the token is accepted by all three instances', async (t) => {
    // The shared secret and database; cookie sessions through nginx are test/nginx/sessions.test.ts.
    await withNginx(servers.map(hostPort), 'round-robin', async (nginx) => {
      const api = apiClient(nginx.url);
      const name = `lb${randomUUID().slice(0, 8)}`;
      await api.register(name);
      const login = await api.post('/users/login', { user: { email: `${name}@example.com`, password: 'password123' } });
      assert.equal(login.status, 200);
      const seen = new Map<string, number>();
      for (let i = 0; i < 20; i++) {
        const res = await api.get('/user', login.body.user.token);
        assert.equal(res.status, 200);
        assert.equal(res.body.user.username, name);
        const by = res.headers.get('x-served-by')!;
        seen.set(by, (seen.get(by) ?? 0) + 1);
      }
      t.diagnostic(`20 authenticated requests: ${JSON.stringify(Object.fromEntries(seen))}`);
      assert.deepEqual([...seen.keys()].sort(), [...names]);
    });
  });
});

describe('nginx in front of instances that come and go', { skip: needNginx() }, () => {
  test('when the primary servers are down, then the backup answers, and only then', async (t) => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'quire-lb-'));
    const servers = await startInstances(dir);
    const nginx = await nginxFor([hostPort(servers[0]!), hostPort(servers[1]!), `${hostPort(servers[2]!)} backup`]);
    try {
      const before = await spread(nginx.url, 1000);
      assert.equal(before.failures, 0);
      assert.equal(share(before, 'c'), 0, 'the backup must stay idle while a primary is up');
      await servers[0]!.close();
      await servers[1]!.close();
      const afterDown = await spread(nginx.url, 200);
      t.diagnostic(`primaries up: ${JSON.stringify(Object.fromEntries(before.byInstance))}; primaries down: ${JSON.stringify(Object.fromEntries(afterDown.byInstance))}, failures ${afterDown.failures}`);
      assert.equal(afterDown.failures, 0);
      assert.equal(share(afterDown, 'c'), 200);
    } finally {
      await nginx.stop();
      await servers[2]!.close();
      fs.rmSync(dir, { recursive: true, force: true });
    }
  });

  test('when one of three instances stops under GET load, then no GET is lost', async (t) => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'quire-lb-'));
    const servers = await startInstances(dir);
    const nginx = await nginxFor(servers.map(hostPort));
    let stopped = false;
    try {
      const load = autocannon({ url: `${nginx.url}/api/articles?limit=5`, connections: 8, duration: 4 });
      await new Promise((resolve) => setTimeout(resolve, 1500));
      // Abruptly: open keep-alive connections are cut, as when a machine or process dies.
      await servers[1]!.close();
      stopped = true;
      const result = await load;
      t.diagnostic(`failover: ${result.requests.total} GETs, ${result.errors} errors, ${result.non2xx} non-2xx, instance b stopped at 1.5 s`);
      assert.ok(result.requests.total > 500, `too little load to prove anything: ${result.requests.total}`);
      assert.equal(result.errors, 0);
      assert.equal(result.timeouts, 0);
      assert.equal(result.non2xx, 0);
    } finally {
      await nginx.stop();
      for (const [i, s] of servers.entries()) if (!(i === 1 && stopped)) await s.close();
      fs.rmSync(dir, { recursive: true, force: true });
    }
  });

  test('when a client forges X-Forwarded-For, then the app logs its real address, directly and through nginx', async () => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'quire-lb-'));
    const server = await startTestServer('sqlite', { INSTANCE_NAME: 'a', DATABASE_URL: `sqlite:${path.join(dir, 'q.db')}`, TRUST_PROXY: '127.0.0.1', ACCESS_LOG: 'file' });
    const nginx = await nginxFor([hostPort(server)]);
    const get = async (url: string, localAddress: string) => (await rawRequest(url, { localAddress, headers: { 'X-Forwarded-For': '203.0.113.66' } })).status;
    const accessLine = async (probe: string) => {
      const file = path.join(server.dataDir, 'logs', 'access.log');
      for (let i = 0; i < 50; i++) {
        const line = fs.existsSync(file) ? fs.readFileSync(file, 'utf8').split('\n').find((l) => l.includes(probe)) : undefined;
        if (line) return line;
        await new Promise((resolve) => setTimeout(resolve, 50));
      }
      assert.fail(`no access log line for ${probe}`);
    };
    try {
      const direct = randomUUID();
      assert.equal(await get(`${server.url}/healthz?probe=${direct}`, '127.0.0.2'), 200);
      assert.match(await accessLine(direct), /^127\.0\.0\.2 /, 'a client that is not a trusted proxy cannot choose its address');
      const proxied = randomUUID();
      assert.equal(await get(`${nginx.url}/healthz?probe=${proxied}`, '127.0.0.3'), 200);
      assert.match(await accessLine(proxied), /^127\.0\.0\.3 /, 'behind nginx the app logs the client nginx saw');
    } finally {
      await nginx.stop();
      await server.close();
      fs.rmSync(dir, { recursive: true, force: true });
    }
  });
});
