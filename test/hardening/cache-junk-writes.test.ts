// Only a write that passed authentication (a valid token; a signed-in session and its CSRF check)
// invalidates the response cache. Junk writes — junk cookies, junk or forged tokens, a session
// without its form's token — leave the write generation where it was, and 50 of them a second
// leave a concurrent read load's hit ratio unchanged.
import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { createHmac, randomBytes } from 'node:crypto';
import { setTimeout as delay } from 'node:timers/promises';
import { apiClient } from '../../support/client.js';
import { startTestServer, type TestServer } from '../../support/server.js';
import { pageClient } from '../pages/page-client.js';
import { generationStore } from '../../src/cache/generation.js';

let server: TestServer;
let token: string;
let slug: string;
const readPaths = ['/', '/api/articles', '/api/tags', '/tag/junk'];

before(async () => {
  server = await startTestServer('sqlite');
  const api = apiClient(server.url);
  token = (await api.register(`junk${randomBytes(3).toString('hex')}`)).token;
  const created = await api.post('/articles', { article: { title: 'Junk target', description: 'd', body: 'b', tagList: ['junk'] } }, token);
  assert.equal(created.status, 201);
  slug = created.body.article.slug;
});
after(() => server?.close());

const generation = () => generationStore(server.deps).read();

/** A well-formed JWT signed with a secret that is not the site's. */
function forgedToken(): string {
  const part = (o: object) => Buffer.from(JSON.stringify(o)).toString('base64url');
  const unsigned = `${part({ alg: 'HS256', typ: 'JWT' })}.${part({ sub: 'someone', exp: Math.floor(Date.now() / 1000) + 3600 })}`;
  return `${unsigned}.${createHmac('sha256', 'not-the-secret').update(unsigned).digest('base64url')}`;
}

/** One of each kind of junk write; every one must be refused. */
function junkWrites(): (() => Promise<Response>)[] {
  const post = (path: string, headers: Record<string, string>, body = '{}') => () =>
    fetch(`${server.url}${path}`, { method: 'POST', headers: { 'content-type': 'application/json', ...headers }, body });
  return [
    post('/api/articles', { cookie: `quire.sid=${randomBytes(8).toString('hex')}` }, JSON.stringify({ article: { title: 't', description: 'd', body: 'b' } })),
    post('/api/articles', { authorization: 'Token junk' }),
    post('/api/articles', { authorization: `Token ${forgedToken()}` }, JSON.stringify({ article: { title: 't', description: 'd', body: 'b' } })),
    post(`/api/articles/${slug}/favorite`, { authorization: `Bearer ${forgedToken()}` }),
    () => fetch(`${server.url}/api/articles/${slug}`, { method: 'DELETE', headers: { authorization: `Token ${forgedToken()}` } }),
    post('/editor', { cookie: 'quire.sid=junk; quire.sid.sig=junk', 'content-type': 'application/x-www-form-urlencoded' }, 'title=t&body=b'),
    post(`/article/${slug}/favorite`, { cookie: 'a=b', 'content-type': 'application/x-www-form-urlencoded' }, '_csrf=junk'),
  ];
}

test('when writes carry junk cookies, junk or forged tokens, then they are refused and the generation does not move', async () => {
  const before = await generation();
  for (const write of junkWrites()) {
    const res = await write();
    await res.arrayBuffer();
    assert.ok(res.status >= 400 && res.status < 500, `${res.url}: ${res.status}`);
  }
  assert.equal(await generation(), before);
});

test('when a signed-in reader posts a form without its token, then it is refused and the generation does not move; with it, it moves', async () => {
  const browser = pageClient(server.url);
  await browser.register(`form${randomBytes(3).toString('hex')}`);
  await browser.get(`/article/${slug}`);
  const before = await generation();
  const forged = await browser.post(`/article/${slug}/favorite`, { _csrf: 'not-the-token' });
  assert.equal(forged.status, 403);
  const missing = await browser.postRaw(`/article/${slug}/favorite`, {});
  assert.equal(missing.status, 403);
  assert.equal(await generation(), before, 'a refused form changed nothing');
  const real = await browser.post(`/article/${slug}/favorite`);
  assert.equal(real.status, 302);
  assert.notEqual(await generation(), before, 'the checked write invalidated the cache');
});

test('when a signed-out visitor posts a form with a valid token, then the generation does not move (nothing cached can change)', async () => {
  const visitor = pageClient(server.url);
  await visitor.get('/login');
  const before = await generation();
  const res = await visitor.post('/login', { email: 'nobody@example.com', password: 'wrong-password' });
  assert.ok(res.status < 500, String(res.status));
  assert.equal(await generation(), before);
});

test('when a valid token writes, then the generation moves before and after', async () => {
  const before = await generation();
  const res = await apiClient(server.url).post(`/articles/${slug}/comments`, { comment: { body: 'real' } }, token);
  assert.equal(res.status, 201);
  assert.notEqual(await generation(), before);
});

/** Reads readPaths from `readers` loops until stop resolves; counts X-Cache. */
async function readLoad(readers: number, stop: Promise<void>): Promise<{ hit: number; miss: number }> {
  const counts = { hit: 0, miss: 0 };
  let done = false;
  void stop.then(() => { done = true; });
  await Promise.all(Array.from({ length: readers }, async (_, r) => {
    for (let i = r; !done; i++) {
      const res = await fetch(`${server.url}${readPaths[i % readPaths.length]}`);
      await res.arrayBuffer();
      assert.equal(res.status, 200);
      if (res.headers.get('x-cache') === 'HIT') counts.hit++;
      else counts.miss++;
    }
  }));
  return counts;
}

const ratio = (c: { hit: number; miss: number }) => c.hit / (c.hit + c.miss);

test('when junk writes arrive 50 a second, then a concurrent read load keeps its hit ratio', async () => {
  for (const path of readPaths) await (await fetch(`${server.url}${path}`)).arrayBuffer();
  const phaseMs = 3000;
  const quiet = await readLoad(8, delay(phaseMs));

  const start = await generation();
  const writes = junkWrites();
  let sent = 0;
  const statuses: number[] = [];
  const stopAt = Date.now() + phaseMs;
  const junk = (async () => {
    const pending: Promise<void>[] = [];
    // 50 a second, each sent on its own time: the junk does not wait for the answers.
    while (Date.now() < stopAt) {
      pending.push(writes[sent++ % writes.length]!().then(async (res) => { await res.arrayBuffer(); statuses.push(res.status); }));
      await delay(20);
    }
    await Promise.all(pending);
  })();
  const loaded = await readLoad(8, delay(phaseMs));
  await junk;

  assert.ok(sent >= 100, `${sent} junk writes sent`);
  assert.ok(statuses.every((s) => s >= 400 && s < 500), `every junk write refused: ${[...new Set(statuses)].join(', ')}`);
  assert.ok(ratio(loaded) >= ratio(quiet) - 0.01,
    `hit ratio ${ratio(quiet).toFixed(4)} (${quiet.hit}/${quiet.miss}) quiet, ${ratio(loaded).toFixed(4)} (${loaded.hit}/${loaded.miss}) under junk`);
  assert.equal(await generation(), start, 'no junk write moved the generation');
});
