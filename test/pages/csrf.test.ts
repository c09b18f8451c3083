// When a form is posted without this session's CSRF token, then nothing changes and a 403 page says why.
import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { startTestServer, type TestServer } from '../support/server.js';
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

  it('when a signed-out visitor posts a form with no session, then it is a 403 page', async () => {
    const stranger = pageClient(server.url);
    const res = await stranger.postRaw('/login', { email: 'alice@example.com', password: 'password123' });
    assert.equal(res.status, 403);
    assert.equal(stranger.jar.has('quire.sid'), false);
  });
});
