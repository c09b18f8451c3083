// An account's lifecycle through the pages: a reset link sets a new password once and signs the
// account out everywhere; a used, expired or banned account's link is a 403; the owner downloads
// their data and deletes the account (with their password), and the site's last admin cannot.
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { apiClient } from '../../support/client.js';
import { startTestServer, type TestServer } from '../../support/server.js';
import { pageClient } from '../pages/page-client.js';
import { createResetToken } from '../../src/users/reset.service.js';

describe('account lifecycle', () => {
  let server: TestServer;
  let api: ReturnType<typeof apiClient>;
  const db = () => server.deps.database.db;
  const row = (username: string) => db().selectFrom('users').selectAll().where('username', '=', username).executeTakeFirstOrThrow();

  before(async () => {
    server = await startTestServer('sqlite');
    api = apiClient(server.url);
  });
  after(() => server.close());

  it('when a reset link is used, then the new password works, the old token and sessions end, and the link works once', async () => {
    const admin = pageClient(server.url);
    await admin.register('owner'); // the first account: the site's admin
    const reg = await api.post('/users', { user: { username: 'forgetful', email: 'forgetful@example.com', password: 'old password 1' } });
    const oldToken = reg.body.user.token as string;
    const session = pageClient(server.url);
    assert.equal((await session.login('forgetful@example.com', 'old password 1')).status, 302);

    const { token } = await createResetToken(db(), await row('forgetful'));
    const browser = pageClient(server.url);
    const form = await browser.get(`/reset/${token}`);
    assert.equal(form.status, 200);
    assert.match(form.text, /forgetful/);
    const short = await browser.post(`/reset/${token}`, { password: 'short' });
    assert.equal(short.status, 422);
    const done = await browser.post(`/reset/${token}`, { password: 'a new password 2' });
    assert.equal(done.status, 302);
    assert.equal(done.location, '/login');

    assert.equal((await api.get('/user', oldToken)).status, 401, 'the old token no longer works');
    assert.equal((await session.get('/settings')).status, 302, 'the open session is signed out');
    assert.equal((await api.post('/users/login', { user: { email: 'forgetful@example.com', password: 'old password 1' } })).status, 401);
    assert.equal((await api.post('/users/login', { user: { email: 'forgetful@example.com', password: 'a new password 2' } })).status, 200);
    assert.equal((await pageClient(server.url).get(`/reset/${token}`)).status, 403, 'a used link');
    assert.equal((await api.post('/users/password-reset', { reset: { token, password: 'another one 3' } })).status, 403);
  });

  it('when a reset link has expired or names a banned account, then it is refused with 403 and nothing changes', async () => {
    await api.post('/users', { user: { username: 'late', email: 'late@example.com', password: 'password123' } });
    const late = await row('late');
    const { token } = await createResetToken(db(), late, 60_000);
    await db().updateTable('password_resets').set({ expires_at: Date.now() - 1 }).execute();
    assert.equal((await pageClient(server.url).get(`/reset/${token}`)).status, 403);
    assert.equal((await api.post('/users/password-reset', { reset: { token, password: 'password456' } })).status, 403);
    assert.equal((await row('late')).password_hash, late.password_hash);

    const fresh = await createResetToken(db(), late);
    await db().updateTable('users').set({ status: 'banned' }).where('id', '=', late.id).execute();
    assert.equal((await pageClient(server.url).get(`/reset/${fresh.token}`)).status, 403);
    await assert.rejects(createResetToken(db(), await row('late')), (err: { status?: number }) => err.status === 403);
    assert.equal((await api.post('/users/password-reset', { reset: { token: 'x'.repeat(43), password: 'password456' } })).status, 403);
  });

  it('when the owner exports their data, then the file holds their profile, articles, comments, favourites and follows', async () => {
    const reg = await api.post('/users', { user: { username: 'keeper', email: 'keeper@example.com', password: 'password123' } });
    const token = reg.body.user.token as string;
    const art = (await api.post('/articles', { article: { title: 'Mine to keep', description: 'd', body: 'the body', tagList: ['x'] } }, token)).body.article;
    await api.post(`/articles/${art.slug}/comments`, { comment: { body: 'my comment' } }, token);
    await api.post(`/articles/${art.slug}/favorite`, undefined, token);
    await api.post('/profiles/owner/follow', undefined, token);
    const browser = pageClient(server.url);
    await browser.login('keeper@example.com');
    const res = await browser.get('/settings/export');
    assert.equal(res.status, 200);
    assert.match(res.headers.get('content-disposition') ?? '', /attachment; filename="quire-keeper\.json"/);
    const data = JSON.parse(res.text);
    assert.equal(data.profile.username, 'keeper');
    assert.deepEqual(data.articles.map((a: { title: string; body: string; tagList: string[] }) => [a.title, a.body, a.tagList]), [['Mine to keep', 'the body', ['x']]]);
    assert.deepEqual(data.comments.map((c: { body: string; article: string }) => [c.body, c.article]), [['my comment', art.slug]]);
    assert.deepEqual(data.favorites, [art.slug]);
    assert.deepEqual(data.following, ['owner']);
    assert.equal((await pageClient(server.url).get('/settings/export')).status, 302, 'signed out: sent to sign in');
  });

  it('when the owner deletes their account with their password, then it and what they wrote are gone; the last admin cannot', async () => {
    const reg = await api.post('/users', { user: { username: 'leaver', email: 'leaver@example.com', password: 'password123' } });
    const art = (await api.post('/articles', { article: { title: 'Going away', description: 'd', body: 'b', tagList: ['leaving'] } }, reg.body.user.token)).body.article;
    const browser = pageClient(server.url);
    await browser.login('leaver@example.com');
    assert.equal((await browser.get('/settings/delete')).status, 200);
    assert.equal((await browser.post('/settings/delete', { current_password: 'wrong password' })).status, 422);
    assert.ok(await db().selectFrom('users').select('id').where('username', '=', 'leaver').executeTakeFirst(), 'a wrong password deletes nothing');
    const done = await browser.post('/settings/delete', { current_password: 'password123' });
    assert.equal(done.status, 302);
    assert.equal(await db().selectFrom('users').select('id').where('username', '=', 'leaver').executeTakeFirst(), undefined);
    assert.equal((await api.get(`/articles/${art.slug}`)).status, 404);
    const tag = await db().selectFrom('tag_counts').selectAll().where('tag', '=', 'leaving').executeTakeFirst();
    assert.ok(!tag || Number(tag.articles) === 0, `tag counts follow the deleted article: ${JSON.stringify(tag)}`);
    assert.equal((await api.post('/users/login', { user: { email: 'leaver@example.com', password: 'password123' } })).status, 401);

    const owner = pageClient(server.url);
    await owner.login('owner@example.com');
    await owner.get('/settings/delete');
    const refused = await owner.post('/settings/delete', { current_password: 'password123' });
    assert.equal(refused.status, 422);
    assert.match(refused.text, /last admin/);
    assert.ok(await db().selectFrom('users').select('id').where('username', '=', 'owner').executeTakeFirst());
  });

  it('when the API exports or deletes the account, then it answers as the pages do', async () => {
    const reg = await api.post('/users', { user: { username: 'apileaver', email: 'apileaver@example.com', password: 'password123' } });
    const token = reg.body.user.token as string;
    await api.post('/articles', { article: { title: 'API kept', description: 'd', body: 'b' } }, token);
    const exported = await api.get('/user/export', token);
    assert.equal(exported.status, 200);
    assert.equal(exported.body.export.profile.username, 'apileaver');
    assert.deepEqual(exported.body.export.articles.map((a: { title: string }) => a.title), ['API kept']);
    assert.equal((await api.get('/user/export')).status, 401);
    assert.equal((await api.request('POST', '/user/delete', { token, json: { user: { password: 'nope nope' } } })).status, 401);
    assert.equal((await api.request('POST', '/user/delete', { token, json: { user: {} } })).status, 422);
    assert.equal((await api.request('POST', '/user/delete', { token, json: { user: { password: 'password123' } } })).status, 204);
    assert.equal((await api.get('/user', token)).status, 401);
  });

  it('when an admin makes a reset link through the API, the admin page or the CLI, then each link works once', async () => {
    await api.post('/users', { user: { username: 'linked', email: 'linked@example.com', password: 'password123' } });
    const owner = (await api.post('/users/login', { user: { email: 'owner@example.com', password: 'password123' } })).body.user.token as string;
    const made = await api.post('/admin/users/linked/password-reset', undefined, owner);
    assert.equal(made.status, 201, made.text);
    const token = new URL(made.body.reset.url as string).pathname.split('/').pop()!;
    assert.equal((await api.post('/users/password-reset', { reset: { token, password: 'via the api 1' } })).status, 200);
    assert.equal((await api.post('/admin/users/nobody-here/password-reset', undefined, owner)).status, 404);
    const reader = (await api.post('/users/login', { user: { email: 'linked@example.com', password: 'via the api 1' } })).body.user.token as string;
    assert.equal((await api.post('/admin/users/linked/password-reset', undefined, reader)).status, 403);

    const admin = pageClient(server.url);
    await admin.login('owner@example.com');
    await admin.get('/admin/users');
    const page = await admin.post('/admin/users/linked/reset');
    assert.equal(page.status, 200);
    const pageToken = /\/reset\/([\w-]{43})/.exec(page.text)?.[1];
    assert.ok(pageToken, 'the page shows the link');
    assert.equal((await api.post('/users/password-reset', { reset: { token: pageToken, password: 'via the page 2' } })).status, 200);

    const { execFile } = await import('node:child_process');
    const { promisify } = await import('node:util');
    const path = await import('node:path');
    const env = {
      PATH: process.env.PATH, DATABASE_URL: `sqlite:${path.join(server.dataDir, 'quire.db')}`, DATA_DIR: server.dataDir,
      LOG_DIR: path.join(server.dataDir, 'logs'), QUIRE_SECRET: 'test-secret-that-is-long-enough-0123456789', PORT: '4567',
    };
    const quire = path.resolve(import.meta.dirname, '../../bin/quire.js');
    const { stdout } = await promisify(execFile)(process.execPath, [quire, 'user', 'reset-password', 'linked'], { env, timeout: 30_000 });
    const cliToken = /^http:\/\/localhost:4567\/reset\/([\w-]{43})$/m.exec(stdout)?.[1];
    assert.ok(cliToken, stdout);
    assert.equal((await api.post('/users/password-reset', { reset: { token: cliToken, password: 'via the cli 3' } })).status, 200);
    assert.equal((await api.post('/users/password-reset', { reset: { token: cliToken, password: 'via the cli 4' } })).status, 403);
    assert.equal((await api.post('/users/login', { user: { email: 'linked@example.com', password: 'via the cli 3' } })).status, 200);
  });
});
