// Held comments end to end: a reader's comment with three links is held, shown to its writer as
// awaiting moderation and to nobody else (not even through a page the cache kept), until a
// moderator decides; an article's author moderates their own article's comments only; reports land
// in the queue; a ban removes what the banned account had waiting; every decision is logged.
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { apiClient, rawRequest } from '../../support/client.js';
import { startTestServer, type TestServer } from '../../support/server.js';

const THREE_LINKS = 'Great! https://pills.example/a https://pills.example/b https://pills.example/c';

describe('moderation', () => {
  let server: TestServer;
  let api: ReturnType<typeof apiClient>;
  const tokens: Record<string, string> = {};

  async function register(name: string) {
    const res = await api.post('/users', { user: { username: name, email: `${name}@example.com`, password: 'password123' } });
    assert.equal(res.status, 201, res.text);
    tokens[name] = res.body.user.token;
  }
  const setRole = (name: string, role: string) => server.deps.database.db.updateTable('users').set({ role: role as never }).where('username', '=', name).execute();
  const commentsSeenBy = async (slug: string, name?: string) =>
    ((await api.get(`/articles/${slug}/comments`, name && tokens[name])).body.comments as { id: number; body: string; state?: string }[]);

  before(async () => {
    server = await startTestServer('sqlite');
    api = apiClient(server.url);
    for (const name of ['owner', 'writer', 'other', 'spammer', 'editor']) await register(name);
    await setRole('editor', 'editor');
    await setRole('spammer', 'reader');
    await setRole('other', 'reader');
  });
  after(() => server.close());

  it('when a reader comments with three links, then it is held: shown to them as pending and to nobody else until approved', async () => {
    const article = (await api.post('/articles', { article: { title: 'Held', description: 'd', body: 'b' } }, tokens.writer)).body.article;
    const page = `${server.url}/article/${article.slug}`;
    // An anonymous reader's page is cached before the comment arrives.
    assert.equal((await rawRequest(page)).status, 200);
    const posted = await api.post(`/articles/${article.slug}/comments`, { comment: { body: THREE_LINKS } }, tokens.spammer);
    assert.equal(posted.status, 201, posted.text);
    assert.equal(posted.body.comment.state, 'pending');
    const id = posted.body.comment.id as number;

    assert.deepEqual((await commentsSeenBy(article.slug, 'spammer')).map((c) => [c.id, c.state]), [[id, 'pending']]);
    assert.deepEqual(await commentsSeenBy(article.slug), []);
    assert.deepEqual(await commentsSeenBy(article.slug, 'other'), []);
    assert.doesNotMatch((await rawRequest(page)).body.toString(), /pills\.example/);

    // The article's author sees it in their queue; a reader has no queue.
    const queue = await api.get('/moderation', tokens.writer);
    assert.equal(queue.status, 200, queue.text);
    assert.deepEqual(queue.body.comments.map((c: { id: number }) => c.id), [id]);
    assert.equal((await api.get('/moderation', tokens.other)).status, 403);

    const approved = await api.put(`/moderation/comments/${id}`, { comment: { state: 'published' } }, tokens.writer);
    assert.equal(approved.status, 200, approved.text);
    assert.deepEqual((await commentsSeenBy(article.slug)).map((c) => [c.id, c.state]), [[id, undefined]]);
    assert.match((await rawRequest(page)).body.toString(), /pills\.example/);
  });

  it('when an editor marks a held comment as spam, then nobody sees it, and the log says who did what', async () => {
    const article = (await api.post('/articles', { article: { title: 'Spam', description: 'd', body: 'b' } }, tokens.owner)).body.article;
    const id = (await api.post(`/articles/${article.slug}/comments`, { comment: { body: THREE_LINKS } }, tokens.spammer)).body.comment.id as number;
    // The author of another article cannot decide on it.
    assert.equal((await api.put(`/moderation/comments/${id}`, { comment: { state: 'published' } }, tokens.writer)).status, 403);
    assert.equal((await api.put(`/moderation/comments/${id}`, { comment: { state: 'sideways' } }, tokens.editor)).status, 422);
    assert.equal((await api.put(`/moderation/comments/${id}`, { comment: { state: 'spam' } }, tokens.editor)).status, 200);
    assert.deepEqual(await commentsSeenBy(article.slug, 'spammer'), []);
    const log = (await api.get('/moderation', tokens.editor)).body.log as { actor: string; action: string; targetId: number }[];
    assert.ok(log.some((l) => l.actor === 'editor' && l.action === 'comment:spam' && l.targetId === id), JSON.stringify(log));
  });

  it('when a reader reports a comment or an article, then the report is in the editors\' queue until resolved', async () => {
    const article = (await api.post('/articles', { article: { title: 'Reported', description: 'd', body: 'b' } }, tokens.owner)).body.article;
    const comment = (await api.post(`/articles/${article.slug}/comments`, { comment: { body: 'hello' } }, tokens.owner)).body.comment;
    assert.equal((await api.post(`/articles/${article.slug}/comments/${comment.id}/report`, { report: { reason: ' ' } }, tokens.other)).status, 422);
    const reported = await api.post(`/articles/${article.slug}/comments/${comment.id}/report`, { report: { reason: 'rude' } }, tokens.other);
    assert.equal(reported.status, 201, reported.text);
    assert.equal((await api.post(`/articles/${article.slug}/report`, { report: { reason: 'spam' } }, tokens.other)).status, 201);
    const reports = (await api.get('/moderation', tokens.editor)).body.reports as { id: number; targetType: string; reason: string }[];
    const mine = reports.filter((r) => ['rude', 'spam'].includes(r.reason));
    assert.deepEqual(mine.map((r) => r.targetType).sort(), ['article', 'comment']);
    for (const r of mine) assert.equal((await api.put(`/moderation/reports/${r.id}`, {}, tokens.editor)).status, 204);
    assert.equal((await api.put(`/moderation/reports/${mine[0]!.id}`, {}, tokens.editor)).status, 404);
    const left = (await api.get('/moderation', tokens.editor)).body.reports as { id: number }[];
    assert.ok(!left.some((r) => mine.some((m) => m.id === r.id)));
  });

  it('when an account is banned, then what it had waiting for moderation is removed', async () => {
    const { deps } = server;
    const article = (await api.post('/articles', { article: { title: 'Ban', description: 'd', body: 'b' } }, tokens.owner)).body.article;
    const id = (await api.post(`/articles/${article.slug}/comments`, { comment: { body: THREE_LINKS } }, tokens.spammer)).body.comment.id as number;
    const { setStatus } = await import('../../src/admin/admin.service.js');
    const owner = (await deps.database.db.selectFrom('users').selectAll().where('username', '=', 'owner').executeTakeFirstOrThrow());
    await setStatus(deps.database.db, { id: owner.id, publicId: owner.public_id, username: 'owner', email: owner.email, bio: null, image: null, role: 'admin', status: 'active' }, 'spammer', 'banned');
    const row = await deps.database.db.selectFrom('comments').select('state').where('id', '=', id).executeTakeFirstOrThrow();
    assert.equal(row.state, 'removed');
    assert.equal((await api.get('/user', tokens.spammer)).status, 401);
  });

  it('when a moderator uses the queue page and a reader the report page, then they do what the API does', async () => {
    const { pageClient } = await import('../pages/page-client.js');
    const article = (await api.post('/articles', { article: { title: 'Pages', description: 'd', body: 'b' } }, tokens.owner)).body.article;
    const id = (await api.post(`/articles/${article.slug}/comments`, { comment: { body: THREE_LINKS } }, tokens.other)).body.comment.id as number;
    const reader = pageClient(server.url);
    await reader.login('other@example.com');
    const own = await reader.get(`/article/${article.slug}`);
    assert.match(own.text, /Awaiting moderation/);
    assert.equal((await reader.get('/admin/moderation')).status, 403);

    const editor = pageClient(server.url);
    await editor.login('editor@example.com');
    const queue = await editor.get('/admin/moderation');
    assert.equal(queue.status, 200);
    assert.match(queue.text, new RegExp(`held-${id}`));
    const approved = await editor.post(`/admin/moderation/comments/${id}`, { state: 'published' });
    assert.equal(approved.status, 302);
    assert.match((await rawRequest(`${server.url}/article/${article.slug}`)).body.toString(), /pills\.example/);

    await reader.get(`/article/${article.slug}/report?comment=${id}`);
    assert.equal((await reader.post(`/article/${article.slug}/report`, { comment: String(id), reason: '' })).status, 422);
    assert.equal((await reader.post(`/article/${article.slug}/report`, { comment: String(id), reason: 'not nice' })).status, 302);
    assert.match((await editor.get('/admin/moderation')).text, /not nice/);
    assert.equal((await pageClient(server.url).get('/admin/moderation')).status, 302, 'signed out: sent to sign in');
  });
});
