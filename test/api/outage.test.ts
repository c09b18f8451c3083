// Start-up and outages, with the real server process (src/bin/www.ts): a database that is down at
// start or a bad setting stops it with one clear line; a database that goes away while it runs
// gives 503s, and it recovers by itself when the database returns. MariaDB is shared, so the
// outage is made by cutting a TCP forwarder between the app and it, never by stopping it.
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { apiClient } from '../../support/client.js';
import { MYSQL_ADMIN_URL, createMysqlDatabase, freePort, needService } from '../../support/services.js';
import { startTcpProxy, type TcpProxy } from '../../support/tcp-proxy.js';
import { startWww, stopWww, type Www } from '../../support/www.js';
import { assertError, uniq } from './harness.js';

describe('start-up', () => {
  test('when the configured MariaDB is not answering, then www prints one "quire:" line, no stack, and exits non-zero', async () => {
    const port = await freePort();
    const www = startWww({ PORT: String(await freePort()), DATABASE_URL: `mysql://root@127.0.0.1:${port}/quire` });
    const code = await www.exited;
    const lines = www.stderr().split('\n').filter(Boolean);
    assert.notEqual(code, 0);
    assert.equal(lines.length, 1, `one line on stderr, got:\n${www.stderr()}`);
    assert.match(lines[0]!, /^quire: cannot use the database at mysql:\/\/root@127\.0\.0\.1:\d+\/quire: /);
    assert.doesNotMatch(www.stderr(), /\n\s+at /);
  });

  test('when a setting is invalid (PORT=abc), then www prints one line naming it and exits non-zero', async () => {
    const www = startWww({ PORT: 'abc' });
    const code = await www.exited;
    const lines = www.stderr().split('\n').filter(Boolean);
    assert.notEqual(code, 0);
    assert.equal(lines.length, 1, `one line on stderr, got:\n${www.stderr()}`);
    assert.match(lines[0]!, /^quire: invalid PORT="abc": /);
  });
});

const skip = await needService('MariaDB', MYSQL_ADMIN_URL);

describe('a database outage while running', { skip }, () => {
  let proxy: TcpProxy;
  let database: Awaited<ReturnType<typeof createMysqlDatabase>>;
  let www: Www;
  let url: string;

  before(async () => {
    database = await createMysqlDatabase();
    const target = new URL(database.url);
    proxy = await startTcpProxy({ host: target.hostname, port: Number(target.port || 3306) });
    target.port = String(proxy.port);
    const port = await freePort();
    url = `http://127.0.0.1:${port}`;
    www = startWww({ PORT: String(port), DATABASE_URL: target.toString(), DATABASE_POOL_SIZE: '4' });
    await www.ready;
  });

  after(async () => {
    if (www) await stopWww(www);
    await proxy?.close();
    await database?.drop();
  });

  test('when MariaDB goes away, then the API answers 503 and stays up; when it returns, requests succeed without a restart', async () => {
    const api = apiClient(url);
    const user = await api.register(uniq('outage'));
    const created = await api.post('/articles', { article: { title: 'Before the outage', description: 'd', body: 'b' } }, user.token);
    assert.equal(created.status, 201, created.text);
    assert.equal((await fetch(`${url}/healthz`)).status, 200);

    proxy.down();
    const unavailable = { errors: { service: ['unavailable, try again'] } };
    for (const res of [
      await api.get('/articles'),
      await api.get(`/articles/${created.body.article.slug}`),
      await api.get('/user', user.token),
      await api.post('/articles', { article: { title: 'During the outage', description: 'd', body: 'b' } }, user.token),
      await api.post('/users', { user: { username: uniq(), email: `${uniq()}@example.com`, password: 'password123' } }),
    ]) {
      assertError(res, 503, 'service', 'unavailable, try again');
      assert.deepEqual(res.body, unavailable);
      assert.ok(res.headers.get('retry-after'));
    }
    assert.equal((await fetch(`${url}/healthz`)).status, 503);
    assert.equal(www.child.exitCode, null, 'the process is still running');

    proxy.up();
    assert.equal((await fetch(`${url}/healthz`)).status, 200);
    const list = await api.get('/articles');
    assert.equal(list.status, 200, list.text);
    assert.deepEqual(list.body.articles.map((a: { title: string }) => a.title), ['Before the outage'], 'nothing written during the outage, nothing lost');
    const afterwards = await api.post('/articles', { article: { title: 'After the outage', description: 'd', body: 'b' } }, user.token);
    assert.equal(afterwards.status, 201, afterwards.text);
    assert.equal(www.child.exitCode, null);
    assert.equal(www.stderr(), '', 'nothing on stderr: outages are logged, not crashed on');
  });
});
