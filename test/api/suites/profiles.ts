// The contract for profiles and follows.
import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { assertError, registerUser, uniq, type Suite } from '../harness.js';

export function profileContract(s: Suite): void {
  describe('profiles', () => {
    test('when anyone reads a profile, then 200 with following false', async () => {
      const user = await registerUser(s.api);
      await s.api.put('/user', { user: { bio: 'hello', image: 'https://example.com/a.png' } }, user.token);
      const res = await s.api.get(`/profiles/${user.username}`);
      assert.equal(res.status, 200);
      assert.deepEqual(res.body, { profile: { username: user.username, bio: 'hello', image: 'https://example.com/a.png', following: false } });
    });

    test('when the profile does not exist, then 404 for reading, following and unfollowing', async () => {
      const user = await registerUser(s.api);
      const ghost = uniq('ghost');
      assertError(await s.api.get(`/profiles/${ghost}`), 404, 'profile', 'not found');
      assertError(await s.api.post(`/profiles/${ghost}/follow`, undefined, user.token), 404, 'profile', 'not found');
      assertError(await s.api.del(`/profiles/${ghost}/follow`, user.token), 404, 'profile', 'not found');
    });

    test('when a user follows and unfollows, then the profile says so each time, and both are idempotent', async () => {
      const [fan, star] = [await registerUser(s.api), await registerUser(s.api)];
      for (let i = 0; i < 2; i++) {
        const res = await s.api.post(`/profiles/${star.username}/follow`, undefined, fan.token);
        assert.equal(res.status, 200, res.text);
        assert.deepEqual(res.body.profile, { username: star.username, bio: null, image: null, following: true });
      }
      assert.equal((await s.api.get(`/profiles/${star.username}`, fan.token)).body.profile.following, true);
      assert.equal((await s.api.get(`/profiles/${star.username}`)).body.profile.following, false, 'anonymous readers follow no one');
      assert.equal((await s.api.get(`/profiles/${fan.username}`, star.token)).body.profile.following, false, 'following is one-way');
      for (let i = 0; i < 2; i++) {
        const res = await s.api.del(`/profiles/${star.username}/follow`, fan.token);
        assert.equal(res.status, 200, res.text);
        assert.equal(res.body.profile.following, false);
      }
      assert.equal((await s.api.get(`/profiles/${star.username}`, fan.token)).body.profile.following, false);
    });

    test('when following without a token, then 401; following oneself is a 422', async () => {
      const user = await registerUser(s.api);
      assertError(await s.api.post(`/profiles/${user.username}/follow`), 401, 'token', 'is missing');
      assertError(await s.api.del(`/profiles/${user.username}/follow`), 401, 'token', 'is missing');
      assertError(await s.api.post(`/profiles/${user.username}/follow`, undefined, user.token), 422, 'profile');
    });
  });
}
