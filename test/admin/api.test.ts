// The admin API (/api/admin) against a real server, on SQLite and on MariaDB: every route refuses
// anonymous callers and non-admins, each action's happy path and its 4xx, the last-admin rule, the
// sign-up policy with invites, bans taking effect on the next request, and concurrent role changes.
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { adminRoutes } from '../../src/admin/admin.routes.js';
import { apiClient, type ApiResponse } from '../../support/client.js';
import { MYSQL_ADMIN_URL, needService } from '../../support/services.js';
import { startTestServer, type TestDialect, type TestServer } from '../../support/server.js';
import { assertError, uniq } from '../api/harness.js';

type Api = ReturnType<typeof apiClient>;
interface Account { token: string; username: string; email: string }

// What an answer may never hold: a password (hash), a public or internal user id. An invite's own
// `id` is what DELETE /api/admin/invites/:id takes, so it is the one id an admin answer shows.
const leakyKey = /^(\w+_id|\w*Id|password\w*|\w*hash\w*|public_?id|is_?admin|secret|salt)$/i;
function leaks(value: unknown, path = '$'): string[] {
  if (typeof value === 'string') return /^scrypt\$/.test(value) ? [path] : [];
  if (Array.isArray(value)) return value.flatMap((v, i) => leaks(v, `${path}[${i}]`));
  if (value === null || typeof value !== 'object' || path === '$.errors') return [];
  return Object.entries(value).flatMap(([key, child]) => {
    const here = `${path}.${key}`;
    const idAllowed = key === 'id' && /^\$\.invites?(\[\d+\])?$/.test(path);
    return [...((key === 'id' ? !idAllowed : leakyKey.test(key)) ? [here] : []), ...leaks(child, here)];
  });
}

function checkedClient(url: string): Api {
  return apiClient(url, {
    onResponse(res: ApiResponse, method, path) {
      assert.ok(res.status < 500, `${method} ${path} answered ${res.status}: ${res.text.slice(0, 300)}`);
      assert.deepEqual(leaks(res.body), [], `${method} ${path} leaked: ${res.text.slice(0, 300)}`);
    },
  });
}

const PERSON_KEYS = ['createdAt', 'email', 'role', 'status', 'username'];
const NON_ADMIN_ROLES = ['reader', 'contributor', 'author', 'editor'] as const;

function defineAdminSuite(dialect: TestDialect, skip?: string): void {
  describe(`admin API on ${dialect}`, { skip }, () => {
    let server: TestServer;
    let api: Api;
    let owner: Account;
    const others: Record<string, Account> = {};

    async function person(username: string) {
      const res = await api.get(`/admin/users/${encodeURIComponent(username)}`, owner.token);
      return res.status === 200 ? res.body.user as { username: string; role: string; status: string } : undefined;
    }
    async function setRole(username: string, role: string, token = owner.token) {
      return api.put(`/admin/users/${encodeURIComponent(username)}`, { user: { role } }, token);
    }
    async function withRole(role: string): Promise<Account> {
      const account = await api.register(uniq(role));
      if (role !== 'author') assert.equal((await setRole(account.username, role)).status, 200);
      return account;
    }
    const settingsPut = (settings: Record<string, unknown>, token = owner.token) => api.put('/admin/settings', { settings }, token);

    before(async () => {
      server = await startTestServer(dialect);
      api = checkedClient(server.url);
      owner = await api.register(uniq('owner')); // the site's first account is its admin
      for (const role of NON_ADMIN_ROLES) others[role] = await withRole(role);
    });
    after(async () => server?.close());

    test('when anyone but an admin calls any /api/admin route, then anonymous is 401 and every other role 403, nothing changed', async () => {
      const routes = adminRoutes(server.deps).stack.flatMap((layer) =>
        layer.methods.filter((m) => m !== 'HEAD').map((method) => ({ method, path: String(layer.path) })));
      assert.ok(routes.length >= 9, `the admin router lists its routes: ${JSON.stringify(routes)}`);
      const victim = await api.register(uniq('victim'));
      const before = await api.get('/admin/settings', owner.token);
      for (const { method, path } of routes) {
        const concrete = path.replace(':username', victim.username).replace(':id', '1');
        const json = method === 'PUT' || method === 'POST' ? {} : undefined;
        assertError(await api.request(method, concrete, { json }), 401, 'token', 'is missing');
        for (const role of NON_ADMIN_ROLES) {
          const res = await api.request(method, concrete, { json, token: others[role]!.token });
          assert.equal(res.status, 403, `${role}: ${method} ${concrete} answered ${res.status} ${res.text}`);
          assert.deepEqual(Object.values(res.body.errors as Record<string, string[]>), [['forbidden']], res.text);
        }
      }
      assert.equal((await person(victim.username))?.status, 'active', 'the account is still there, unchanged');
      assert.deepEqual((await api.get('/admin/settings', owner.token)).body, before.body);
    });

    test('when the only admin demotes, bans, suspends or deletes themself, then 422 "user" and nothing changes', async () => {
      const admins = await api.get('/admin/users?role=admin&status=active', owner.token);
      assert.deepEqual(admins.body.users.map((u: { username: string }) => u.username), [owner.username], 'the owner is the one admin here');
      assertError(await setRole(owner.username, 'editor'), 422, 'user', 'is the last admin: make someone else an admin first');
      for (const status of ['banned', 'suspended']) {
        assertError(await api.put(`/admin/users/${owner.username}`, { user: { status } }, owner.token), 422, 'user');
      }
      assertError(await api.del(`/admin/users/${owner.username}`, owner.token), 422, 'user');
      assert.deepEqual(await person(owner.username), { ...(await person(owner.username)), role: 'admin', status: 'active' });
      assert.equal((await api.get('/user', owner.token)).status, 200, 'the owner still signs in');
    });

    test('when the admin lists people, then users and usersCount, filtered by q, role and status and paged', async () => {
      const tag = uniq('find');
      const found = [await api.register(`${tag}a`), await api.register(`${tag}b`), await api.register(`${tag}c`)];
      const all = await api.get(`/admin/users?q=${tag.toUpperCase()}`, owner.token);
      assert.equal(all.status, 200, all.text);
      assert.equal(all.body.usersCount, 3);
      assert.deepEqual(all.body.users.map((u: { username: string }) => u.username), found.map((f) => f.username));
      for (const u of all.body.users) assert.deepEqual(Object.keys(u).sort(), PERSON_KEYS);
      assert.equal(all.body.users[0].email, found[0]!.email);
      assert.ok(!Number.isNaN(Date.parse(all.body.users[0].createdAt)));
      const page = await api.get(`/admin/users?q=${tag}&limit=1&offset=1`, owner.token);
      assert.deepEqual(page.body.users.map((u: { username: string }) => u.username), [found[1]!.username]);
      assert.equal(page.body.usersCount, 3, 'the count is of every match, not the page');
      const editors = await api.get('/admin/users?role=editor', owner.token);
      assert.ok(editors.body.users.every((u: { role: string }) => u.role === 'editor') && editors.body.usersCount >= 1);
      assertError(await api.get('/admin/users?role=wizard', owner.token), 422, 'role');
      assertError(await api.get('/admin/users?status=gone', owner.token), 422, 'status');
      assertError(await api.get('/admin/users?limit=abc', owner.token), 422, 'limit', 'must be a whole number');
      assertError(await api.get('/admin/users?q=a&q=b', owner.token), 422, 'q', 'is invalid');
    });

    test('when the admin reads one person, then 200 with the allow-listed fields; an unknown name is 404', async () => {
      const res = await api.get(`/admin/users/${others.editor!.username}`, owner.token);
      assert.equal(res.status, 200, res.text);
      assert.deepEqual(Object.keys(res.body.user).sort(), PERSON_KEYS);
      assert.equal(res.body.user.role, 'editor');
      assertError(await api.get(`/admin/users/${uniq('nobody')}`, owner.token), 404, 'user', 'not found');
    });

    test('when the admin changes a role or status, then 200 with the person; bad input is 422 and nothing changes', async () => {
      const target = await api.register(uniq('target'));
      const res = await api.put(`/admin/users/${target.username}`, { user: { role: 'contributor', status: 'suspended' } }, owner.token);
      assert.equal(res.status, 200, res.text);
      assert.deepEqual({ role: res.body.user.role, status: res.body.user.status }, { role: 'contributor', status: 'suspended' });
      assertError(await setRole(target.username, 'wizard'), 422, 'role', 'must be one of reader, contributor, author, editor, admin');
      const mixed = await api.put(`/admin/users/${target.username}`, { user: { role: 'editor', status: 'gone' } }, owner.token);
      assertError(mixed, 422, 'status');
      assertError(await api.put(`/admin/users/${target.username}`, { user: {} }, owner.token), 422, 'user', 'must name a role or a status');
      assertError(await api.put(`/admin/users/${target.username}`, { nope: 1 }, owner.token), 422, 'user', "can't be blank");
      assertError(await api.put(`/admin/users/${target.username}`, { user: { role: 5 } }, owner.token), 422, 'role');
      assert.deepEqual(await person(target.username), { ...(await person(target.username)), role: 'contributor', status: 'suspended' }, 'the refused changes left nothing behind');
      assertError(await setRole(uniq('nobody'), 'reader'), 404, 'user', 'not found');
    });

    test('when an account is banned, then its token is 401 on its next request and its sign-in 403; reactivated, it works again', async () => {
      const spammer = await api.register(uniq('spam'));
      assert.equal((await api.get('/user', spammer.token)).status, 200);
      assert.equal((await api.put(`/admin/users/${spammer.username}`, { user: { status: 'banned' } }, owner.token)).status, 200);
      assertError(await api.get('/user', spammer.token), 401, 'token', 'is invalid');
      const login = await api.post('/users/login', { user: { email: spammer.email, password: 'password123' } });
      assert.equal(login.status, 403, login.text);
      assert.equal((await api.put(`/admin/users/${spammer.username}`, { user: { status: 'active' } }, owner.token)).status, 200);
      assert.equal((await api.get('/user', spammer.token)).status, 200);
    });

    test('when the admin deletes an account, then 204 and its articles go, or go to another with content=reassign', async () => {
      const post = async (a: Account) => (await api.post('/articles', { article: { title: uniq('Post '), description: 'd', body: 'b' } }, a.token)).body.article.slug as string;
      const leaver = await api.register(uniq('leaver'));
      const gone = await post(leaver);
      assert.equal((await api.del(`/admin/users/${leaver.username}?content=delete`, owner.token)).status, 204);
      assert.equal(await person(leaver.username), undefined);
      assertError(await api.get(`/articles/${gone}`), 404, 'article');
      assertError(await api.get(`/admin/users/${leaver.username}`, owner.token), 404, 'user');

      const [giver, heir] = [await api.register(uniq('giver')), await api.register(uniq('heir'))];
      const kept = await post(giver);
      assertError(await api.del(`/admin/users/${giver.username}?content=shred`, owner.token), 422, 'content');
      assertError(await api.del(`/admin/users/${giver.username}?content=reassign`, owner.token), 422, 'to');
      assertError(await api.del(`/admin/users/${giver.username}?content=reassign&to=${uniq('nobody')}`, owner.token), 422, 'to', 'is not a user');
      assert.ok(await person(giver.username), 'refused deletions removed nothing');
      assert.equal((await api.del(`/admin/users/${giver.username}?content=reassign&to=${heir.username}`, owner.token)).status, 204);
      assert.equal((await api.get(`/articles/${kept}`)).body.article.author.username, heir.username);
      assertError(await api.del(`/admin/users/${uniq('nobody')}`, owner.token), 404, 'user');
    });

    test('when the admin creates, lists and revokes invites, then the link is on the request origin or the url setting', async () => {
      const made = await api.post('/admin/invites', { invite: { role: 'editor', expiresInDays: 2 } }, owner.token);
      assert.equal(made.status, 201, made.text);
      const { invite } = made.body;
      assert.deepEqual(Object.keys(invite).sort(), ['createdAt', 'expiresAt', 'id', 'role', 'token', 'url', 'usedAt']);
      assert.equal(invite.url, `${server.url}/register?invite=${invite.token}`);
      assert.equal(invite.role, 'editor');
      assert.equal(invite.usedAt, null);
      const days = (Date.parse(invite.expiresAt) - Date.parse(invite.createdAt)) / 86_400_000;
      assert.equal(days, 2);
      const listed = await api.get('/admin/invites', owner.token);
      const mine = listed.body.invites.find((i: { id: number }) => i.id === invite.id);
      assert.ok(mine, listed.text);
      assert.equal(mine.token, undefined, 'a listed invite never shows its token again');

      assert.equal((await settingsPut({ url: 'https://blog.example.com' })).status, 200);
      const canonical = await api.post('/admin/invites', { invite: { role: 'reader' } }, owner.token);
      assert.match(canonical.body.invite.url, /^https:\/\/blog\.example\.com\/register\?invite=[\w-]{43}$/);
      assert.equal((await settingsPut({ url: '' })).status, 200);

      assertError(await api.post('/admin/invites', { invite: { role: 'wizard' } }, owner.token), 422, 'role');
      assertError(await api.post('/admin/invites', { invite: {} }, owner.token), 422, 'role', "can't be blank");
      assertError(await api.post('/admin/invites', { invite: { role: 'reader', expiresInDays: 365 } }, owner.token), 422, 'expires');
      assertError(await api.post('/admin/invites', { invite: { role: 'reader', expiresInDays: 'soon' } }, owner.token), 422, 'expiresInDays');

      assert.equal((await api.del(`/admin/invites/${invite.id}`, owner.token)).status, 204);
      assertError(await api.del(`/admin/invites/${invite.id}`, owner.token), 404, 'invite', 'not found');
      assertError(await api.del('/admin/invites/abc', owner.token), 404, 'invite', 'not found');
      const revoked = await api.post('/users', { user: { username: uniq('late'), email: `${uniq()}@example.com`, password: 'password123', invite: invite.token } });
      assertError(revoked, 403, 'invite', 'is not a valid invitation');
    });

    test('when sign-up is closed or by invitation, then POST /api/users is 403 "signup"; an invite works once and an expired one not at all', async () => {
      const signUp = (invite?: string) => {
        const username = uniq('new');
        return api.post('/users', { user: { username, email: `${username}@example.com`, password: 'password123', invite } });
      };
      try {
        assert.equal((await settingsPut({ signup: 'closed' })).status, 200);
        assertError(await signUp(), 403, 'signup', 'is closed on this site');
        const { invite } = (await api.post('/admin/invites', { invite: { role: 'contributor' } }, owner.token)).body;
        const joined = await signUp(invite.token);
        assert.equal(joined.status, 201, joined.text);
        assert.equal((await person(joined.body.user.username))?.role, 'contributor', "the invite's role");
        assertError(await signUp(invite.token), 403, 'invite', 'has already been used');
        const used = (await api.get('/admin/invites', owner.token)).body.invites.find((i: { id: number }) => i.id === invite.id);
        assert.ok(used.usedAt, 'the list shows it used');

        assert.equal((await settingsPut({ signup: 'invite' })).status, 200);
        assertError(await signUp(), 403, 'signup', 'needs an invitation on this site');
        const stale = (await api.post('/admin/invites', { invite: { role: 'reader' } }, owner.token)).body.invite;
        await server.deps.database.db.updateTable('invites').set({ expires_at: Date.now() - 1000 }).where('id', '=', stale.id).execute();
        assertError(await signUp(stale.token), 403, 'invite', 'has expired');
      } finally {
        assert.equal((await settingsPut({ signup: 'open' })).status, 200);
      }
      assert.equal((await signUp()).status, 201, 'open again');
    });

    test('when the admin reads and changes settings, then every key answers; unknown keys and bad values are 422 and nothing is stored', async () => {
      const read = await api.get('/admin/settings', owner.token);
      assert.equal(read.status, 200, read.text);
      assert.equal(read.body.settings.signup, 'open');
      assert.equal(read.body.settings.hold_links_over, 2);
      const changed = await settingsPut({ title: 'Field Notes', hold_links_over: 5 });
      assert.equal(changed.status, 200, changed.text);
      assert.equal(changed.body.settings.title, 'Field Notes');
      assert.equal(changed.body.settings.hold_links_over, 5, 'a number is taken as its digits');
      assert.deepEqual(Object.keys(changed.body.settings), Object.keys(read.body.settings));

      assertError(await settingsPut({ title: 'Other', colour: 'red' }), 422, 'colour');
      assertError(await settingsPut({ title: 'Other', signup: 'sometimes' }), 422, 'signup', 'must be open, invite or closed');
      assertError(await settingsPut({ title: 'Other', url: 'not a url' }), 422, 'url');
      assertError(await settingsPut({ title: ['x'] }), 422, 'title', 'must be a string');
      assertError(await settingsPut({}), 422, 'settings', "can't be blank");
      assertError(await api.put('/admin/settings', { title: 'x' }, owner.token), 422, 'settings', "can't be blank");
      assert.equal((await api.get('/admin/settings', owner.token)).body.settings.title, 'Field Notes', 'no refused write stored anything');
    });

    test('when two PUTs change one account\'s role at once, then both are 200 and the role is one of the two', async () => {
      const target = await api.register(uniq('raced'));
      for (let round = 0; round < 5; round++) {
        const results = await Promise.all([setRole(target.username, 'editor'), setRole(target.username, 'contributor')]);
        assert.deepEqual(results.map((r) => r.status), [200, 200], results.map((r) => r.text).join('\n'));
        assert.ok(['editor', 'contributor'].includes((await person(target.username))!.role));
      }
    });

    // Last: it leaves the site with a different admin than the owner.
    test('when the only two admins demote each other at once, then one succeeds, the other is refused, and one admin is left', async () => {
      const second = await withRole('admin');
      const results = await Promise.all([setRole(second.username, 'author', owner.token), setRole(owner.username, 'author', second.token)]);
      const statuses = results.map((r) => r.status).sort();
      assert.equal(statuses[0], 200, results.map((r) => r.text).join('\n'));
      assert.ok(statuses[1] === 422 || statuses[1] === 403, `the other is the last-admin 422 (or 403 once demoted): ${results.map((r) => r.text).join('\n')}`);
      const admins = await server.deps.database.db.selectFrom('users').select('username')
        .where('role', '=', 'admin').where('status', '=', 'active').execute();
      assert.equal(admins.length, 1, JSON.stringify(admins));
      assert.ok([owner.username, second.username].includes(admins[0]!.username));
    });
  });
}

defineAdminSuite('sqlite');
defineAdminSuite('mysql', await needService('MariaDB', MYSQL_ADMIN_URL));
