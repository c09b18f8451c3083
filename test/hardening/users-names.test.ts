// Usernames are one per person whatever their case or Unicode compatibility form ("Alice",
// "ALICE", "ａｌｉｃｅ"), names of only dots are refused, and existing rows that already collide
// survive the migration that adds the key. On SQLite and on MariaDB.
import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import * as m009 from '../../src/db/migrations/009_username_key.js';
import { apiClient } from '../../support/client.js';
import { startTestServer, type TestDialect, type TestServer } from '../../support/server.js';
import { MYSQL_ADMIN_URL, needService } from '../../support/services.js';
import { pageClient } from '../pages/page-client.js';

const signup = (s: TestServer, username: string, email = `${Buffer.from(username).toString('hex')}@example.com`) =>
  apiClient(s.url).post('/users', { user: { username, email, password: 'password123' } });

function assertTaken(res: { status: number; body: { errors?: Record<string, string[]> } }, what: string) {
  assert.equal(res.status, 409, `${what}: ${JSON.stringify(res.body)}`);
  assert.deepEqual(res.body.errors, { username: ['has already been taken'] }, what);
}

for (const dialect of ['sqlite', 'mysql'] as TestDialect[]) {
  const skip = dialect === 'mysql' ? await needService('MariaDB', MYSQL_ADMIN_URL) : undefined;

  describe(`usernames (${dialect})`, { skip }, () => {
    let s: TestServer;
    before(async () => { s = await startTestServer(dialect); });
    after(async () => { await s?.close(); });

    it('when a sign-up differs from a taken name only by case or compatibility form, then 409 "has already been taken"', async () => {
      assert.equal((await signup(s, 'Quill_a')).status, 201);
      for (const name of ['quill_a', 'QUILL_A', 'ｑｕｉｌｌ_ａ', 'ＱＵＩＬＬ_a']) assertTaken(await signup(s, name), name);
      assert.equal((await signup(s, 'Straße_b')).status, 201);
      assertTaken(await signup(s, 'STRASSE_B'), 'ß folds to ss');
      assert.equal((await signup(s, 'fish_c')).status, 201);
      assertTaken(await signup(s, 'ﬁsh_c'), 'the fi ligature is f + i');

      // Names resolve exactly as stored (docs/decisions/19-username-keys.md): one address per profile.
      assert.equal((await apiClient(s.url).get('/profiles/Quill_a')).status, 200);
      assert.equal((await fetch(`${s.url}/@Quill_a`)).status, 200);
      assert.equal((await apiClient(s.url).get('/profiles/quill_a')).status, 404);
    });

    it('when sign-ups of one name in several cases race, then the unique key lets exactly one in and the others get 409', async () => {
      const results = await Promise.all(['Race_g', 'RACE_G', 'race_g', 'ｒａｃｅ_ｇ'].map((name) => signup(s, name)));
      assert.deepEqual(results.map((r) => r.status).sort(), [201, 409, 409, 409], JSON.stringify(results.map((r) => r.body)));
      for (const r of results.filter((x) => x.status === 409)) assertTaken(r, 'the loser of the race');
    });

    it('when a rename takes another user\'s name in another case or form, then 409 (API) and 422 on the settings page; one\'s own name in another case is fine', async () => {
      const a = await signup(s, 'Rook_d');
      const b = await signup(s, 'pawn_d');
      assert.equal(a.status, 201);
      assert.equal(b.status, 201);
      const api = apiClient(s.url);
      assertTaken(await api.put('/user', { user: { username: 'PAWN_D' } }, a.body.user.token), 'rename over another case');
      assertTaken(await api.put('/user', { user: { username: 'ｐａｗｎ_ｄ' } }, a.body.user.token), 'rename over a fullwidth form');
      const own = await api.put('/user', { user: { username: 'ROOK_D' } }, a.body.user.token);
      assert.equal(own.status, 200, own.text);
      assert.equal(own.body.user.username, 'ROOK_D');

      const browser = pageClient(s.url);
      await browser.login(b.body.user.email);
      await browser.get('/settings');
      const page = await browser.post('/settings', { username: 'rook_d', email: b.body.user.email, bio: '', image: '' });
      assert.equal(page.status, 422);
      assert.match(page.text, /Username has already been taken/);
      const row = await s.deps.database.db.selectFrom('users').select('username').where('email', '=', b.body.user.email).executeTakeFirstOrThrow();
      assert.equal(row.username, 'pawn_d', 'nothing changed');
    });

    it('when a sign-up page uses a taken name in another case, then the form comes back with 422 "has already been taken"', async () => {
      assert.equal((await signup(s, 'Heron_e')).status, 201);
      const browser = pageClient(s.url);
      await browser.get('/register');
      const page = await browser.post('/register', { username: 'HERON_E', email: 'heron-e-2@example.com', password: 'password123' });
      assert.equal(page.status, 422);
      assert.match(page.text, /Username has already been taken/);
    });

    it('when a name is only dots, then it is refused (422) on the API and the page', async () => {
      for (const name of ['.', '..', '...']) {
        const res = await signup(s, name, `dots${name.length}@example.com`);
        assert.equal(res.status, 422, `${name}: ${res.text}`);
        assert.deepEqual(res.body.errors.username, ['may not be only dots']);
      }
      const browser = pageClient(s.url);
      await browser.get('/register');
      const page = await browser.post('/register', { username: '..', email: 'dots-page@example.com', password: 'password123' });
      assert.equal(page.status, 422);
      assert.match(page.text, /Username may not be only dots/);
      assert.equal((await signup(s, 'a.b')).status, 201, 'dots among other characters are fine');
    });

    it('when rows that already collide are migrated, then the migration keeps both, and the older holds the plain key', async () => {
      const { db } = s.deps.database;
      await m009.down(db);
      const now = Date.now();
      const row = (username: string, n: number) => ({ public_id: `00000000-0000-4000-8000-00000000000${n}`, username,
        email: `legacy-${n}@example.com`, password_hash: 'x', bio: null, image: null, created_at: now, updated_at: now });
      await db.insertInto('users').values([row('Legacy_f', 1), row('legacy_f', 2), row('ＬＥＧＡＣＹ_ｆ', 3)]).execute();
      await m009.up(db);

      const keys = await db.selectFrom('users').select(['id', 'username', 'username_key'])
        .where('email', 'like', 'legacy-%').orderBy('id').execute();
      assert.deepEqual(keys.map((r) => r.username_key), ['legacy_f', `legacy_f~${keys[1]!.id}`, `legacy_f~${keys[2]!.id}`]);
      const earlier = await db.selectFrom('users').select('username_key').where('username', '=', 'Quill_a').executeTakeFirstOrThrow();
      assert.equal(earlier.username_key, 'quill_a', 'rows written before are keyed too');
      assertTaken(await signup(s, 'LEGACY_F'), 'the plain name stays taken');
      assertTaken(await signup(s, 'quill_A'), 'keys survive the migration');
    });
  });
}
