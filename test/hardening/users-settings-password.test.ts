// The settings page changes the email or the password only with the current password, so a
// session left open (or a stolen cookie) cannot take the account over; other fields need none,
// and the API's PUT /api/user keeps the RealWorld contract (no current password).
import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { apiClient } from '../../support/client.js';
import { startTestServer, type TestServer } from '../../support/server.js';
import { pageClient } from '../pages/page-client.js';

describe('settings need the current password for credentials', () => {
  let server: TestServer;
  before(async () => { server = await startTestServer('sqlite'); });
  after(async () => { await server.close(); });

  const emailOf = async (username: string) => (await server.deps.database.db.selectFrom('users').select('email')
    .where('username', '=', username).executeTakeFirstOrThrow()).email;

  it('when the email or password is changed without the current password, or with a wrong one, then the form comes back with the error and nothing changes', async () => {
    const browser = pageClient(server.url);
    await browser.register('keeper');
    const fields = { username: 'keeper', bio: 'a new bio', image: '' };

    await browser.get('/settings');
    const missing = await browser.post('/settings', { ...fields, email: 'thief@example.com' });
    assert.equal(missing.status, 422);
    assert.match(missing.text, /Current password is needed to change your email or password\./);
    assert.match(missing.text, /id="field-current_password"[^>]*aria-invalid="true"/);

    await browser.get('/settings');
    const wrong = await browser.post('/settings', { ...fields, email: 'thief@example.com', current_password: 'not my password' });
    assert.equal(wrong.status, 422);
    assert.match(wrong.text, /Current password is wrong\./);

    await browser.get('/settings');
    const newPassword = await browser.post('/settings', { ...fields, email: 'keeper@example.com', password: 'taken over 123' });
    assert.equal(newPassword.status, 422);
    assert.match(newPassword.text, /Current password is needed/);

    assert.equal(await emailOf('keeper'), 'keeper@example.com', 'the email is unchanged');
    const row = await server.deps.database.db.selectFrom('users').select('bio').where('username', '=', 'keeper').executeTakeFirstOrThrow();
    assert.equal(row.bio, null, 'a refused form saves none of its fields');
    assert.equal((await pageClient(server.url).login('keeper@example.com', 'password123')).status, 302, 'the old password still works');
    assert.notEqual((await pageClient(server.url).login('keeper@example.com', 'taken over 123')).status, 302, 'the new one was not set');
  });

  it('when the current password is given, then the email and password change; the page asks for it, a bio alone needs none, nor does the API', async () => {
    const browser = pageClient(server.url);
    await browser.register('mover');
    const form = await browser.get('/settings');
    assert.match(form.text, /<label for="field-current_password">Current password/);
    assert.match(form.text, /name="current_password" type="password" autocomplete="current-password"/);

    const bio = await browser.post('/settings', { username: 'mover', email: 'mover@example.com', bio: 'only the bio', image: '' });
    assert.equal(bio.status, 302, bio.text.slice(0, 300));

    await browser.get('/settings');
    const moved = await browser.post('/settings', {
      username: 'mover', email: 'moved@example.com', bio: 'only the bio', image: '', password: 'a new password 1', current_password: 'password123',
    });
    assert.equal(moved.status, 302, moved.text.slice(0, 300));
    assert.equal(await emailOf('mover'), 'moved@example.com');
    assert.equal((await pageClient(server.url).login('moved@example.com', 'a new password 1')).status, 302);

    const api = apiClient(server.url);
    const { token } = await api.register('contract_keeper');
    const put = await api.put('/user', { user: { email: 'contract-moved@example.com', password: 'another password' } }, token);
    assert.equal(put.status, 200, put.text);
    assert.equal(put.body.user.email, 'contract-moved@example.com');
  });
});
