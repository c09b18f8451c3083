// Account safety across pages and API: password guessing is limited on the sign-in page as on the
// API, a new password ends every other session and token, and only the first account is admin.
import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { apiClient } from '../../support/client.js';
import { startTestServer, type TestServer } from '../../support/server.js';
import { pageClient } from './page-client.js';

describe('account safety', () => {
  let server: TestServer;
  before(async () => { server = await startTestServer('sqlite', { LOGIN_MAX_ATTEMPTS: '3' }); });
  after(async () => { await server.close(); });

  it('when the sign-in page is guessed at too often, then it answers 429 even for the right password', async () => {
    const owner = pageClient(server.url);
    await owner.register('guarded');
    const attacker = pageClient(server.url);
    const statuses: number[] = [];
    for (let i = 0; i < 3; i++) statuses.push((await attacker.login('guarded@example.com', `wrong-${i}-password`)).status);
    assert.deepEqual(statuses, [422, 422, 422]);
    const blocked = await attacker.login('guarded@example.com', 'password123');
    assert.equal(blocked.status, 429);
    assert.ok(Number(blocked.headers.get('retry-after')) > 0);
    assert.equal(attacker.jar.has('quire.sid') && (await attacker.get('/settings')).status === 200, false, 'not signed in');
  });

  it('when a user changes the password, then other sessions and old tokens stop working and the new token works', async () => {
    const api = apiClient(server.url);
    const { token: oldToken } = await api.register('rotator');
    const otherBrowser = pageClient(server.url);
    assert.equal((await otherBrowser.login('rotator@example.com')).status, 302);
    assert.equal((await otherBrowser.get('/settings')).status, 200);

    const changed = await api.put('/user', { user: { password: 'a brand new password' } }, oldToken);
    assert.equal(changed.status, 200);
    const newToken = changed.body.user.token as string;
    assert.notEqual(newToken, oldToken);

    assert.equal((await api.get('/user', oldToken)).status, 401, 'the old token is refused');
    assert.equal((await api.get('/user', newToken)).status, 200, 'the new token works');
    assert.equal((await otherBrowser.get('/settings')).status, 302, 'the other session is signed out');
    const login = await api.post('/users/login', { user: { email: 'rotator@example.com', password: 'a brand new password' } });
    assert.equal(login.status, 200);
  });

  it('when accounts are registered, then only the first is admin', async () => {
    const rows = await server.deps.database.db.selectFrom('users').select(['username', 'role']).orderBy('id').execute();
    assert.ok(rows.length >= 2);
    assert.equal(rows[0]!.role, 'admin');
    assert.ok(rows.slice(1).every((r) => r.role === 'author'));
  });
});
