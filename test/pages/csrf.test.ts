// When a form is posted without its CSRF token (the session's, or a signed-out visitor's cookie), then
// nothing changes and a 403 page says why.
import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import http from 'node:http';
import Koa from 'koa';
import { cookieKeys, csrfToken, sessions } from '../../src/sessions/session.js';
import type { AppContext } from '../../src/core/state.js';
import { listenLocally, startTestServer, type TestServer } from '../../support/server.js';
import { pageClient, visibleText } from './page-client.js';

describe('CSRF protection on page forms', () => {
  let server: TestServer;
  let alice: ReturnType<typeof pageClient>;

  before(async () => {
    server = await startTestServer('sqlite');
    alice = pageClient(server.url);
    await alice.register('alice');
  });
  after(() => server.close());

  const attempts: [string, Record<string, string>][] = [
    ['/editor', { title: 'Forged', description: 'd', body: 'b', tags: '' }],
    ['/settings', { username: 'alice', email: 'alice@example.com', bio: 'forged bio', image: '' }],
    ['/logout', {}],
  ];

  for (const [path, fields] of attempts) {
    for (const [label, token] of [['no token', undefined], ['a wrong token', 'x'.repeat(43)], ['an empty token', '']] as const) {
      it(`when POST ${path} carries ${label}, then it is a 403 page and nothing changed`, async () => {
        const res = await alice.postRaw(path, token === undefined ? fields : { ...fields, _csrf: token });
        assert.equal(res.status, 403);
        assert.match(res.headers.get('content-type') ?? '', /text\/html/);
        assert.match(visibleText(res.text), /This form has expired.*Nothing was changed/);
        const home = await alice.get('/');
        assert.match(visibleText(home.text), /@alice/, 'still signed in');
        assert.doesNotMatch(visibleText(home.text), /Forged/);
        const profile = await alice.get('/@alice');
        assert.doesNotMatch(profile.text, /forged bio/);
      });
    }
  }

  it("when another session's token is used, then it is refused too", async () => {
    const bob = pageClient(server.url);
    await bob.register('bob');
    const res = await alice.postRaw('/editor', { _csrf: bob.csrfToken, title: 'Forged', description: 'd', body: 'b' });
    assert.equal(res.status, 403);
  });

  it('when the right token is sent, then the form works', async () => {
    await alice.get('/editor');
    const res = await alice.post('/editor', { title: 'Real', description: 'd', body: 'b', tags: '' });
    assert.equal(res.status, 302);
    assert.equal(res.location, '/article/real');
  });

  it('when signed-out visitors read the sign-in and sign-up forms, then nothing is stored and only their own token works', async () => {
    const sessionRows = async () => (await server.deps.database.db.selectFrom('sessions').select('id').execute()).length;
    const rowsBefore = await sessionRows();
    const [visitor, other] = [pageClient(server.url), pageClient(server.url)];
    for (const path of ['/login', '/register', '/login']) await visitor.get(path);
    await other.get('/login');
    assert.equal(await sessionRows(), rowsBefore, 'no session row for reading a form');
    assert.equal(visitor.jar.has('quire.sid'), false);
    const token = visitor.csrfToken;
    assert.ok(token && token !== other.csrfToken);
    const forged = await visitor.postRaw('/login', { _csrf: other.csrfToken, email: 'alice@example.com', password: 'password123' });
    assert.equal(forged.status, 403, "another visitor's token");
    const own = [visitor.jar.get('quire.csrf')!, visitor.jar.get('quire.csrf.sig')!] as const;
    visitor.jar.set('quire.csrf', other.jar.get('quire.csrf')!);
    const tampered = await visitor.postRaw('/login', { _csrf: other.csrfToken, email: 'alice@example.com', password: 'password123' });
    assert.equal(tampered.status, 403, 'a cookie without its own signature');
    // The 403 pages may have handed out a new cookie: back to the visitor's own.
    visitor.jar.set('quire.csrf', own[0]);
    visitor.jar.set('quire.csrf.sig', own[1]);
    const ok = await visitor.postRaw('/login', { _csrf: token, email: 'alice@example.com', password: 'password123' });
    assert.equal(ok.status, 302, ok.text.slice(0, 300));
    assert.ok(visitor.jar.has('quire.sid'), 'signed in');
    assert.equal(visitor.jar.has('quire.csrf'), false, 'the signed-out token ends at sign-in');
    const editor = await visitor.get('/editor');
    assert.notEqual(visitor.csrfToken, token, 'a signed-in session has a token of its own');
    assert.equal(editor.status, 200);
    const stale = await visitor.postRaw('/editor', { _csrf: token, title: 'Stale', description: 'd', body: 'b', tags: '' });
    assert.equal(stale.status, 403, 'the signed-out token is not accepted once signed in');
  });

  it('when one page asks twice for a signed-out visitor\'s token, then both forms get the same one, set once', async () => {
    const app = new Koa();
    app.keys = cookieKeys(server.deps.secret);
    app.use(sessions(app, server.deps));
    app.use((ctx) => { ctx.body = [csrfToken(ctx as unknown as AppContext), csrfToken(ctx as unknown as AppContext)]; });
    const twoForms = http.createServer(app.callback());
    try {
      const res = await fetch(await listenLocally(twoForms));
      const [first, second] = await res.json() as string[];
      assert.match(first!, /^[\w-]{43}$/);
      assert.equal(second, first);
      assert.equal(res.headers.getSetCookie().filter((l) => l.startsWith('quire.csrf=')).length, 1);
    } finally {
      twoForms.closeAllConnections();
      await new Promise<void>((resolve) => twoForms.close(() => resolve()));
    }
  });

  it('when a signed-out visitor posts a form with no session, then it is a 403 page', async () => {
    const stranger = pageClient(server.url);
    const res = await stranger.postRaw('/login', { email: 'alice@example.com', password: 'password123' });
    assert.equal(res.status, 403);
    assert.equal(stranger.jar.has('quire.sid'), false);
  });
});
