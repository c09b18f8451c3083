// The contract for accounts: register, login, current user, update, and the token rules.
import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { assertError, registerUser, uniq, type Suite } from '../harness.js';

export function userContract(s: Suite): void {
  describe('users', () => {
    test('when someone registers, then 201 returns exactly the User shape with a token', async () => {
      const username = uniq('reg');
      const res = await s.api.post('/users', { user: { username, email: `${username}@Example.com`, password: 'password123' } });
      assert.equal(res.status, 201, res.text);
      assert.match(res.headers.get('content-type') ?? '', /^application\/json; charset=utf-8/);
      assert.deepEqual(Object.keys(res.body.user).sort(), ['bio', 'email', 'image', 'token', 'username']);
      assert.equal(res.body.user.username, username);
      assert.equal(res.body.user.email, `${username}@example.com`);
      assert.equal(res.body.user.bio, null);
      assert.equal(res.body.user.image, null);
      assert.match(res.body.user.token, /^[\w-]+\.[\w-]+\.[\w-]+$/);
    });

    test('when register fields are missing, then 422 says each one "can\'t be blank"', async () => {
      const res = await s.api.post('/users', { user: {} });
      assertError(res, 422, 'username', "can't be blank");
      assertError(res, 422, 'email', "can't be blank");
      assertError(res, 422, 'password', "can't be blank");
      assertError(await s.api.post('/users', { user: { username: '  ', email: 'a@b.co', password: 'password123' } }), 422, 'username', "can't be blank");
      assertError(await s.api.post('/users', {}), 422, 'user', "can't be blank");
    });

    test('when register fields are invalid, then 422 names each field', async () => {
      const res = await s.api.post('/users', { user: { username: 'has space', email: 'not-an-email', password: 'short' } });
      assertError(res, 422, 'email', 'is invalid');
      assertError(res, 422, 'username');
      assertError(res, 422, 'password');
      assertError(await s.api.post('/users', { user: { username: 'x'.repeat(65), email: 'a@b.co', password: 'password123' } }), 422, 'username');
    });

    test('when the username or the email is taken, then 409 names the field', async () => {
      const taken = await registerUser(s.api);
      const other = uniq();
      assertError(await s.api.post('/users', { user: { username: taken.username, email: `${other}@example.com`, password: 'password123' } }),
        409, 'username', 'has already been taken');
      assertError(await s.api.post('/users', { user: { username: other, email: taken.email.toUpperCase(), password: 'password123' } }),
        409, 'email', 'has already been taken');
    });

    test('when someone logs in with the right password, then 200 returns a working token', async () => {
      const user = await registerUser(s.api);
      const res = await s.api.post('/users/login', { user: { email: user.email, password: 'password123' } });
      assert.equal(res.status, 200, res.text);
      assert.equal(res.body.user.username, user.username);
      const me = await s.api.get('/user', res.body.user.token);
      assert.equal(me.status, 200);
      assert.equal(me.body.user.email, user.email);
    });

    test('when the email or password is wrong, then 401 "credentials invalid"', async () => {
      const user = await registerUser(s.api);
      assertError(await s.api.post('/users/login', { user: { email: user.email, password: 'wrong-password' } }), 401, 'credentials', 'invalid');
      assertError(await s.api.post('/users/login', { user: { email: `${uniq()}@example.com`, password: 'password123' } }), 401, 'credentials', 'invalid');
    });

    test('when login fields are missing, then 422 per field', async () => {
      const res = await s.api.post('/users/login', { user: {} });
      assertError(res, 422, 'email', "can't be blank");
      assertError(res, 422, 'password', "can't be blank");
    });

    test('when the current user is asked for with Token or Bearer, then 200 echoes the same token', async () => {
      const user = await registerUser(s.api);
      const viaToken = await s.api.get('/user', user.token);
      assert.equal(viaToken.status, 200);
      assert.deepEqual(viaToken.body.user, { email: user.email, token: user.token, username: user.username, bio: null, image: null });
      const viaBearer = await s.api.request('GET', '/user', { headers: { authorization: `Bearer ${user.token}` } });
      assert.equal(viaBearer.status, 200);
      assert.equal(viaBearer.body.user.username, user.username);
    });

    test('when there is no token, then GET and PUT /user are 401 "token is missing"', async () => {
      assertError(await s.api.get('/user'), 401, 'token', 'is missing');
      assertError(await s.api.put('/user', { user: { bio: 'x' } }), 401, 'token', 'is missing');
    });

    test('when the Authorization header is malformed, then 401 "token is invalid"', async () => {
      for (const header of ['Token', 'Token not.a.jwt', 'Basic dXNlcjpwYXNz', 'Token a b']) {
        assertError(await s.api.request('GET', '/user', { headers: { authorization: header } }), 401, 'token', 'is invalid');
      }
    });

    test('when the user updates every field, then 200 returns them, the new password logs in, and only the new token works', async () => {
      const user = await registerUser(s.api);
      const username = uniq('renamed');
      const renamed = await s.api.put('/user', { user: { username } }, user.token);
      assert.equal(renamed.status, 200, renamed.text);
      assert.equal(renamed.body.user.token, user.token, 'a rename keeps the token');
      assert.equal((await s.api.get('/user', user.token)).body.user.username, username, 'the old token still works after a rename');

      const changes = { email: `${username}@example.com`, password: 'another-password', bio: 'I write.', image: 'https://example.com/me.png' };
      const res = await s.api.put('/user', { user: changes }, user.token);
      assert.equal(res.status, 200, res.text);
      const { token, ...rest } = res.body.user;
      assert.deepEqual(rest, { email: changes.email, username, bio: 'I write.', image: changes.image });
      assert.notEqual(token, user.token, 'a new password comes with a new token');
      assertError(await s.api.get('/user', user.token), 401, 'token', 'is invalid');
      assert.equal((await s.api.post('/users/login', { user: { email: changes.email, password: 'another-password' } })).status, 200);
      assertError(await s.api.post('/users/login', { user: { email: changes.email, password: 'password123' } }), 401, 'credentials');
      const cleared = await s.api.put('/user', { user: { bio: null, image: '' } }, token);
      assert.equal(cleared.status, 200, cleared.text);
      assert.equal(cleared.body.user.bio, null);
      assert.equal(cleared.body.user.image, null);
    });

    test('when an update takes another user\'s username or email, then 409; keeping one\'s own is fine', async () => {
      const [a, b] = [await registerUser(s.api), await registerUser(s.api)];
      assertError(await s.api.put('/user', { user: { username: b.username } }, a.token), 409, 'username', 'has already been taken');
      assertError(await s.api.put('/user', { user: { email: b.email } }, a.token), 409, 'email', 'has already been taken');
      const same = await s.api.put('/user', { user: { username: a.username, email: a.email } }, a.token);
      assert.equal(same.status, 200, same.text);
    });

    test('when an update is invalid, then 422 per field and nothing changes', async () => {
      const user = await registerUser(s.api);
      const res = await s.api.put('/user', { user: { email: 'nope', image: 'javascript:alert(1)', username: '' } }, user.token);
      assertError(res, 422, 'email', 'is invalid');
      assertError(res, 422, 'image');
      assertError(res, 422, 'username', "can't be blank");
      assert.equal((await s.api.get('/user', user.token)).body.user.email, user.email);
    });
  });
}
