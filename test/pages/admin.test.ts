// When an admin runs the site from /admin (people, invites, settings), then the pages do what the
// admin service allows, refuse everyone else, and every reader sees a change on the next request.
import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { startTestServer, type TestServer } from '../../support/server.js';
import { adminPages } from '../../src/site/admin.pages.js';
import { adminSitePages } from '../../src/site/admin-site.pages.js';
import { createRenderer } from '../../src/site/render.js';
import { pageClient, visibleText } from './page-client.js';

/** Every route of the admin routers, as method and path with its parameters filled in. */
function adminRoutes(server: TestServer, username: string): { method: string; path: string }[] {
  const view = createRenderer({ session: { flash: () => undefined, csrf: () => '' } });
  const routes: { method: string; path: string }[] = [];
  for (const router of [adminPages(server.deps, view), adminSitePages(server.deps, view)]) {
    for (const layer of router.stack) {
      const path = String(layer.path).replace(':username', username).replace(':id', '1');
      for (const method of layer.methods.filter((m) => m !== 'HEAD')) routes.push({ method, path });
    }
  }
  return routes;
}

const titleOf = (html: string) => /<title>([^<]*)<\/title>/.exec(html)?.[1];

describe('the admin area', () => {
  let server: TestServer;
  let owner: ReturnType<typeof pageClient>;

  before(async () => {
    server = await startTestServer('sqlite');
    owner = pageClient(server.url);
    await owner.register('owner');
  });
  after(() => server.close());

  it('when the first account signs up, then it is the admin and its nav links to /admin', async () => {
    const home = await owner.get('/');
    assert.match(home.text, /<a href="\/admin">Admin<\/a>/);
    const dashboard = await owner.get('/admin');
    assert.equal(dashboard.status, 200);
    for (const section of ['/admin/users', '/admin/invites', '/admin/settings', '/admin/stats']) {
      assert.match(dashboard.text, new RegExp(`href="${section}"`), section);
    }
    assert.equal(dashboard.headers.get('cache-control'), 'private, no-store');
    const stats = await owner.get('/admin/stats');
    assert.match(stats.text, /class="admin-nav"/, 'the stats page sits in the admin area');
  });

  it('when the admin renames the site, then an anonymous reader of a cached home page sees the new title at once', async () => {
    await fetch(`${server.url}/`);
    const cached = await fetch(`${server.url}/`);
    assert.equal(cached.headers.get('x-cache'), 'HIT');
    assert.equal(titleOf(await cached.text()), 'Newest articles · Quire');

    await owner.get('/admin/settings');
    const saved = await owner.post('/admin/settings', { title: 'The Almanac', description: 'Notes from the field.', language: 'pt-BR' });
    assert.equal(saved.status, 302);
    assert.equal(saved.location, '/admin/settings');
    assert.match(visibleText((await owner.get('/admin/settings')).text), /Settings saved: site title, description, language/);

    const fresh = await fetch(`${server.url}/`);
    const html = await fresh.text();
    assert.equal(titleOf(html), 'Newest articles · The Almanac');
    assert.match(html, /<html lang="pt-BR">/);
    assert.match(html, /<meta name="description" content="Notes from the field.">/);
    assert.match(html, /class="brand" href="\/">The Almanac</);
  });

  it('when the url setting is set, then the feed and sitemap use it as their origin', async () => {
    await owner.get('/admin/settings');
    assert.equal((await owner.post('/admin/settings', { url: 'https://almanac.example' })).status, 302);
    const feed = await (await fetch(`${server.url}/feed.xml`)).text();
    assert.match(feed, /<link>https:\/\/almanac\.example\/<\/link>/);
    assert.doesNotMatch(feed, /127\.0\.0\.1/);
    const sitemap = await (await fetch(`${server.url}/sitemap.xml`)).text();
    assert.match(sitemap, /<loc>https:\/\/almanac\.example\/<\/loc>/);
    await owner.get('/admin/settings');
    assert.equal((await owner.post('/admin/settings', { url: '' })).status, 302);
    assert.match(await (await fetch(`${server.url}/feed.xml`)).text(), /<link>http:\/\/127\.0\.0\.1:\d+\/<\/link>/);
  });

  it('when settings have mistakes, then the form comes back with 422, errors beside the fields, and nothing changed', async () => {
    const before = (await owner.get('/admin/settings')).text;
    const res = await owner.post('/admin/settings', { title: 'Changed', language: 'not a language!', hold_links_over: '-3', signup: 'sometimes' });
    assert.equal(res.status, 422);
    assert.match(res.text, /id="language-error"/);
    assert.match(res.text, /id="hold_links_over-error"/);
    assert.match(res.text, /id="signup-error"/);
    assert.match(res.text, /value="not a language!"/, 'what was typed is kept');
    const after = (await owner.get('/admin/settings')).text;
    assert.equal(/id="field-title"[^>]*value="([^"]*)"/.exec(after)?.[1], /id="field-title"[^>]*value="([^"]*)"/.exec(before)?.[1]);
    assert.match(titleOf(await (await fetch(`${server.url}/`)).text()) ?? '', /The Almanac$/);
  });

  it('when an author or a visitor opens any admin route, then the author gets 403 and the visitor is sent to sign in', async () => {
    const author = pageClient(server.url);
    await author.register('plain-author');
    const visitor = pageClient(server.url);
    await visitor.get('/login');
    const routes = adminRoutes(server, 'owner');
    assert.ok(routes.length >= 10, `found ${routes.length} routes`);
    for (const { method, path } of routes) {
      await author.get('/');
      const refused = method === 'GET' ? await author.get(path) : await author.post(path, { role: 'admin', status: 'banned', content: 'delete', title: 'Hacked', days: '7' });
      assert.equal(refused.status, 403, `${method} ${path} as an author`);
      const sent = method === 'GET' ? await visitor.get(path) : await visitor.post(path, { role: 'admin' });
      assert.equal(sent.status, 302, `${method} ${path} signed out`);
      assert.match(sent.location ?? '', /^\/login/, `${method} ${path} signed out`);
    }
    const home = await author.get('/');
    assert.doesNotMatch(home.text, /href="\/admin"/, 'no Admin link for an author');
    assert.match(titleOf((await owner.get('/')).text) ?? '', /The Almanac$/, 'nothing changed');
    assert.match((await owner.get('/admin/users?q=owner')).text, /<option value="admin" selected>/);
  });

  it('when the admin bans a signed-in user, then their open session is signed out on its next request', async () => {
    const spammer = pageClient(server.url);
    await spammer.register('spammer');
    assert.equal((await spammer.get('/settings')).status, 200);
    const list = await owner.get('/admin/users?q=spammer');
    assert.match(list.text, /action="\/admin\/users\/spammer\/status"/);
    const banned = await owner.post('/admin/users/spammer/status', { status: 'banned', back: '/admin/users?q=spammer' });
    assert.equal(banned.location, '/admin/users?q=spammer');
    assert.match(visibleText((await owner.get('/admin/users?q=spammer')).text), /@spammer is now banned/);
    const next = await spammer.get('/settings');
    assert.equal(next.status, 302);
    assert.match(next.location ?? '', /^\/login/);
  });

  it('when the admin creates an invite, then its link lets one new user register with its role, once', async () => {
    await owner.get('/admin/settings');
    assert.equal((await owner.post('/admin/settings', { signup: 'invite' })).status, 302);
    await owner.get('/admin/invites');
    const created = await owner.post('/admin/invites', { role: 'editor', days: '3' });
    assert.equal(created.status, 200);
    assert.equal(created.headers.get('cache-control'), 'private, no-store');
    const link = /id="invite-link"[^>]*value="([^"]+)"/.exec(created.text)?.[1] ?? '';
    assert.match(link, new RegExp(`^${server.url}/register\\?invite=[\\w-]{43}$`));
    const token = new URL(link).searchParams.get('invite')!;

    const closed = await fetch(`${server.url}/register`);
    assert.equal(closed.status, 403, 'without the invitation the site is closed');
    const guest = pageClient(server.url);
    assert.equal((await guest.get(`/register?invite=${token}`)).status, 200);
    const joined = await guest.post('/register', { username: 'invited-ed', email: 'ed@example.com', password: 'password123', invite: token });
    assert.equal(joined.status, 302);
    assert.match((await owner.get('/admin/users?role=editor')).text, /@invited-ed/);
    const editorsArea = await guest.get('/admin');
    assert.equal(editorsArea.status, 200, 'an editor sees the part of /admin they may use');
    assert.match(editorsArea.text, /href="\/admin\/stats"/);
    assert.doesNotMatch(editorsArea.text, /href="\/admin\/(users|invites|settings)"/);
    assert.equal((await guest.get('/admin/users')).status, 403);

    const second = pageClient(server.url);
    assert.equal((await second.get(`/register?invite=${token}`)).status, 403);
    const reused = await second.post('/register', { username: 'second-ed', email: 'ed2@example.com', password: 'password123', invite: token });
    assert.notEqual(reused.status, 302);
    assert.match(visibleText((await owner.get('/admin/invites')).text), /editor .* used/);

    const badDays = await owner.post('/admin/invites', { role: 'editor', days: 'soon' });
    assert.equal(badDays.status, 422);
    assert.match(badDays.text, /id="days-error"/);
  });

  it('when the admin deletes a user giving their content to another, then the heir must exist and the account goes', async () => {
    const leaver = pageClient(server.url);
    await owner.get('/admin/invites');
    const created = await owner.post('/admin/invites', { role: 'author', days: '1' });
    const token = /invite=([\w-]{43})/.exec(created.text)![1]!;
    await leaver.get(`/register?invite=${token}`);
    assert.equal((await leaver.post('/register', { username: 'leaver', email: 'leaver@example.com', password: 'password123', invite: token })).status, 302);

    const page = await owner.get('/admin/users/leaver/delete');
    assert.equal(page.status, 200);
    const noHeir = await owner.post('/admin/users/leaver/delete', { content: 'reassign', to: 'nobody-here' });
    assert.equal(noHeir.status, 422);
    assert.match(noHeir.text, /id="to-error"/);
    const done = await owner.post('/admin/users/leaver/delete', { content: 'reassign', to: 'owner' });
    assert.equal(done.location, '/admin/users');
    assert.equal((await owner.get('/admin/users/leaver/delete')).status, 404);
    assert.equal((await leaver.get('/settings')).status, 302, 'their session is gone with the account');
  });
});
