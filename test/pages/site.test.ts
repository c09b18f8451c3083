// When the site is asked for its pages, files, feeds and sessions, then the answers carry what
// browsers, caches and feed readers rely on.
import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { startTestServer, type TestServer } from '../../support/server.js';
import { pageClient, visibleText } from './page-client.js';

describe('the server-rendered site', () => {
  let server: TestServer;
  before(async () => { server = await startTestServer('sqlite', { TRUST_PROXY: '127.0.0.1' }); });
  after(() => server.close());

  it('when someone signs in, then the session cookie is new, signed, httpOnly and SameSite=Lax', async () => {
    const c = pageClient(server.url);
    await c.register('carol');
    const signedUp = c.jar.get('quire.sid');
    await c.post('/logout');
    await c.get('/login');
    assert.equal(c.jar.has('quire.sid'), false, 'reading the sign-in form starts no session');
    assert.ok(c.jar.has('quire.csrf'), 'its token is in a cookie of its own');
    const login = await fetch(`${server.url}/login`);
    const csrfCookie = login.headers.getSetCookie().find((l) => l.startsWith('quire.csrf='))!;
    assert.match(csrfCookie, /httponly/i);
    assert.match(csrfCookie, /samesite=lax/i);
    assert.doesNotMatch(csrfCookie, /secure/i);
    assert.ok(login.headers.getSetCookie().some((l) => l.startsWith('quire.csrf.sig=')), 'the CSRF cookie is signed');
    const res = await c.post('/login', { email: 'carol@example.com', password: 'password123' });
    assert.equal(res.status, 302);
    const cookie = res.headers.getSetCookie().find((l) => l.startsWith('quire.sid='))!;
    assert.match(cookie, /httponly/i);
    assert.match(cookie, /samesite=lax/i);
    assert.doesNotMatch(cookie, /secure/i);
    assert.ok(res.headers.getSetCookie().some((l) => l.startsWith('quire.sid.sig=')), 'signed');
    assert.ok(c.jar.get('quire.sid'));
    assert.notEqual(c.jar.get('quire.sid'), signedUp, 'a new id at each sign-in');
  });

  it('when the request came over https through a trusted proxy, then the cookies are Secure', async () => {
    const res = await fetch(`${server.url}/login`, { headers: { 'x-forwarded-proto': 'https' } });
    const cookie = res.headers.getSetCookie().find((l) => l.startsWith('quire.csrf='))!;
    assert.match(cookie, /secure/i);
    const c = pageClient(server.url);
    await c.get('/register');
    const signUp = await fetch(`${server.url}/register`, {
      method: 'POST', redirect: 'manual',
      headers: { 'x-forwarded-proto': 'https', 'content-type': 'application/x-www-form-urlencoded', cookie: [...c.jar].map(([k, v]) => `${k}=${v}`).join('; ') },
      body: new URLSearchParams({ _csrf: c.csrfToken, username: 'secure-sam', email: 'sam@example.com', password: 'password123' }).toString(),
    });
    assert.equal(signUp.status, 302);
    assert.match(signUp.headers.getSetCookie().find((l) => l.startsWith('quire.sid='))!, /secure/i);
  });

  it('when a form has mistakes, then it keeps the input and shows errors beside the fields', async () => {
    const c = pageClient(server.url);
    await c.get('/register');
    const res = await c.post('/register', { username: 'bad name!', email: 'not-an-email', password: 'short' });
    assert.equal(res.status, 422);
    assert.match(res.text, /id="username-error"/);
    assert.match(res.text, /value="bad name!"/);
    assert.match(visibleText(res.text), /Email is invalid/);
    assert.match(visibleText(res.text), /Password is too short/);
  });

  it('when a signed-out visitor opens a writer page, then they are sent to sign in and back', async () => {
    const res = await fetch(`${server.url}/editor`, { redirect: 'manual' });
    assert.equal(res.status, 302);
    assert.equal(res.headers.get('location'), '/login?next=%2Feditor');
    const login = await fetch(`${server.url}/login?next=//evil.example`);
    assert.doesNotMatch(await login.text(), /evil\.example/, 'never an open redirect');
  });

  it('when the stylesheet is asked for by its fingerprinted URL, then it may be cached for a year', async () => {
    const home = await (await fetch(`${server.url}/`)).text();
    const href = /href="(\/css\/site\.css\?v=[0-9a-f]+)"/.exec(home)![1]!;
    const css = await fetch(`${server.url}${href}`);
    assert.equal(css.status, 200);
    assert.match(css.headers.get('cache-control') ?? '', /max-age=31536000.*immutable/);
    const plain = await fetch(`${server.url}/css/site.css`);
    assert.match(plain.headers.get('cache-control') ?? '', /max-age=300/);
    const etag = plain.headers.get('etag');
    assert.ok(etag);
    // As a browser revalidates (fetch alone would add Cache-Control: no-cache, which forbids a 304).
    const again = await fetch(`${server.url}/css/site.css`, { headers: { 'if-none-match': etag, 'cache-control': 'max-age=0' } });
    assert.equal(again.status, 304);
  });

  it('when a page is not found, then it is a 404 page, and the API keeps its JSON 404', async () => {
    const page = await fetch(`${server.url}/nowhere`);
    assert.equal(page.status, 404);
    assert.match(await page.text(), /<title>Page not found · Quire<\/title>/);
    const api = await fetch(`${server.url}/api/nowhere`);
    assert.equal(api.status, 404);
    assert.deepEqual(await api.json(), { errors: { route: ['not found'] } });
    const articles = await fetch(`${server.url}/api/articles`);
    assert.equal(articles.headers.get('set-cookie'), null, 'the API never starts a session');
  });

  it('when /app/ and its client routes are asked for, then the front end index is served', async () => {
    const root = await fetch(`${server.url}/app`, { redirect: 'manual' });
    assert.equal(root.status, 302);
    for (const path of ['/app/', '/app/article/some-slug', '/app/@someone']) {
      const res = await fetch(`${server.url}${path}`);
      assert.equal(res.status, 200, path);
      assert.match(await res.text(), /<title>Quire app/);
    }
    assert.equal((await fetch(`${server.url}/app/missing.js`)).status, 404);
  });

  it('when the feed and the sitemap are asked for, then they list articles with absolute URLs', async () => {
    const c = pageClient(server.url);
    await c.register('dora');
    await c.get('/editor');
    await c.post('/editor', { title: 'Feed me & more', description: 'About <feeds>', body: 'b', tags: 'rss' });
    const feed = await fetch(`${server.url}/feed.xml`);
    assert.match(feed.headers.get('content-type') ?? '', /application\/rss\+xml/);
    const xml = await feed.text();
    assert.match(xml, /<title>Feed me &amp; more<\/title>/);
    assert.match(xml, /<description>About &lt;feeds&gt;<\/description>/);
    assert.match(xml, new RegExp(`<link>${server.url}/article/feed-me-more</link>`));
    const sitemap = await (await fetch(`${server.url}/sitemap.xml`)).text();
    assert.match(sitemap, new RegExp(`<loc>${server.url}/article/feed-me-more</loc>`));
  });

  it('when a page is served, then it carries a CSP with no inline script and the usual security headers', async () => {
    const res = await fetch(`${server.url}/`);
    assert.match(res.headers.get('content-security-policy') ?? '', /default-src 'self'.*script-src 'self'/);
    assert.equal(res.headers.get('x-content-type-options'), 'nosniff');
    assert.equal(res.headers.get('x-frame-options'), 'SAMEORIGIN');
    assert.doesNotMatch(await res.text(), /<script|style="| on[a-z]+="/i);
  });
});
