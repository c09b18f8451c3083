// When an admin changes a role, bans an account or closes sign-up through one instance, then a second
// instance sharing the database (and Redis) honours it on its very next request: nothing about who
// may do what is kept per worker. Run on one SQLite file and on MariaDB with Redis, as
// test/cache/freshness.test.ts runs two workers.
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { randomBytes } from 'node:crypto';
import { setRole, setStatus } from '../../src/admin/admin.service.js';
import type { User } from '../../src/core/state.js';
import { setSetting } from '../../src/settings/settings.service.js';
import { findUserByUsername } from '../../src/users/user.repo.js';
import { toUser } from '../../src/users/user.service.js';
import { apiClient } from '../../support/client.js';
import { startTestServer, type TestDialect, type TestServer } from '../../support/server.js';
import { MYSQL_ADMIN_URL, needService, REDIS_TEST_URL } from '../../support/services.js';
import { assertError, uniq } from '../api/harness.js';
import { pageClient } from '../pages/page-client.js';
import { assertEditorRefused, assertPageRefused, signedInPage } from './accounts.js';

type Setup = { dialect: TestDialect; env: Record<string, string> } | undefined;

const article = () => ({ article: { title: uniq('Shared '), description: 'd', body: 'b' } });

function twoInstancesSuite(label: string, setup: () => Setup) {
  describe(`people changes across two instances (${label})`, () => {
    let a: TestServer;
    let b: TestServer;
    let skip: string | undefined;
    /** The site's admin, as A's services are called by it. */
    let admin: User;

    before(async () => {
      const chosen = setup();
      if (chosen === undefined) { skip = `${label} unavailable`; return; }
      a = await startTestServer(chosen.dialect, chosen.env);
      // B opens A's database (on MariaDB, A made it and A drops it) and, when set, the same Redis.
      b = await startTestServer('sqlite', { ...chosen.env, DATABASE_URL: a.deps.config.DATABASE_URL });
      const first = await apiClient(a.url).register(uniq('admin'));
      admin = toUser((await findUserByUsername(a.deps.database.db, first.username))!);
      assert.equal(admin.role, 'admin', 'the first account is the admin');
    });
    after(async () => {
      await b?.close();
      await a?.close();
    });

    test('when an account is banned through A, then its token is refused on B\'s next request, its session there ends and it cannot sign in', async (t) => {
      if (skip) return t.skip(skip);
      const onB = apiClient(b.url);
      const spammer = await onB.register(uniq('spam'));
      const page = await signedInPage(b.url, spammer.email);
      assert.equal((await onB.get('/user', spammer.token)).status, 200, 'B knows the token before the ban');
      assert.equal((await page.get('/editor')).status, 200, 'B knows the session before the ban');

      await setStatus(a.deps.database.db, admin, spammer.username, 'banned');

      assertError(await onB.get('/user', spammer.token), 401, 'token');
      const editor = await page.get('/editor');
      assert.equal(editor.status, 302, 'the session on B is signed out');
      assert.equal(editor.location, '/login?next=%2Feditor');
      assertError(await onB.post('/users/login', { user: { email: spammer.email, password: 'password123' } }), 403, 'account');
      assertError(await apiClient(a.url).get('/user', spammer.token), 401, 'token');
    });

    test('when an author is made a reader through A, then B refuses their next article with 403, and takes it again once they are an author', async (t) => {
      if (skip) return t.skip(skip);
      const onB = apiClient(b.url);
      const writer = await onB.register(uniq('writer'));
      assert.equal((await onB.post('/articles', article(), writer.token)).status, 201, 'an author publishes through B');
      const page = await signedInPage(b.url, writer.email);

      await setRole(a.deps.database.db, admin, writer.username, 'reader');

      assertError(await onB.post('/articles', article(), writer.token), 403, 'article');
      await page.get('/editor');
      const title = uniq('Paged ');
      const refused = await page.post('/editor', { title, description: 'd', body: 'b', tags: '' });
      assertEditorRefused(refused, 'the editor page on B refuses the reader too', title, 'cannot be published by a reader');
      assert.equal((await onB.post(`/profiles/${admin.username}/follow`, undefined, writer.token)).status, 200, 'a reader still follows');

      await setRole(a.deps.database.db, admin, writer.username, 'author');
      assert.equal((await onB.post('/articles', article(), writer.token)).status, 201, 'an author again on B\'s next request');
    });

    test('when sign-up is closed through A, then B refuses the next sign-up with 403 through the API and the register page', async (t) => {
      if (skip) return t.skip(skip);
      const onB = apiClient(b.url);
      const signUp = (username: string) => onB.post('/users', { user: { username, email: `${username}@example.com`, password: 'password123' } });
      assert.equal((await signUp(uniq('early'))).status, 201, 'B signs people up while sign-up is open');

      await setSetting(a.deps.database.db, 'signup', 'closed');
      t.after(() => setSetting(a.deps.database.db, 'signup', 'open'));

      const late = uniq('late');
      assertError(await signUp(late), 403, 'signup', 'is closed on this site');
      const visitor = pageClient(b.url);
      await visitor.get('/login');
      const form = await visitor.post('/register', { username: uniq('page'), email: `${uniq('page')}@example.com`, password: 'password123' });
      assertPageRefused(form, 'the register page on B refuses too', 'signup is closed on this site');
      assert.equal(await findUserByUsername(a.deps.database.db, late), undefined, 'nobody was signed up');

      await setSetting(a.deps.database.db, 'signup', 'open');
      assert.equal((await signUp(late)).status, 201, 'B signs people up again once it is reopened');
    });
  });
}

twoInstancesSuite('SQLite file', () => ({ dialect: 'sqlite', env: {} }));

// Checked before any suite is declared, so each fails under CI when its service is away.
const mysqlSkip = await needService('MariaDB', MYSQL_ADMIN_URL);
const redisSkip = mysqlSkip ?? (await needService('Redis', REDIS_TEST_URL));
twoInstancesSuite('MariaDB and Redis', () => (redisSkip ? undefined : {
  dialect: 'mysql', env: { REDIS_URL: REDIS_TEST_URL, REDIS_PREFIX: `quire-test-${randomBytes(4).toString('hex')}:` },
}));
