// `quire user`, `quire invite` and `quire settings`, run as an operator runs them (bin/quire.js)
// against the SQLite file a running test server uses, so what the CLI changes is checked through
// the API: roles, bans, invite links, settings; --help changes nothing; usage mistakes exit 2.
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { execFile } from 'node:child_process';
import path from 'node:path';
import { promisify } from 'node:util';
import { apiClient } from '../../support/client.js';
import { startTestServer, type TestServer } from '../../support/server.js';
import { uniq } from '../api/harness.js';

const exec = promisify(execFile);
const quire = path.resolve(import.meta.dirname, '../../bin/quire.js');

interface CliRun { code: number; stdout: string; stderr: string }

describe('quire user, invite and settings', () => {
  let server: TestServer;
  let api: ReturnType<typeof apiClient>;
  let owner: { token: string; username: string };

  async function cli(...args: string[]): Promise<CliRun> {
    const env = {
      PATH: process.env.PATH, DATABASE_URL: `sqlite:${path.join(server.dataDir, 'quire.db')}`, DATA_DIR: server.dataDir,
      LOG_DIR: path.join(server.dataDir, 'logs'), QUIRE_SECRET: 'test-secret-that-is-long-enough-0123456789', PORT: '4567',
    };
    try {
      const { stdout, stderr } = await exec(process.execPath, [quire, ...args], { env, timeout: 30_000 });
      return { code: 0, stdout, stderr };
    } catch (err) {
      const e = err as { code?: unknown; stdout?: string; stderr?: string };
      if (typeof e.code !== 'number') throw err;
      return { code: e.code, stdout: e.stdout ?? '', stderr: e.stderr ?? '' };
    }
  }
  const person = async (username: string) => (await api.get(`/admin/users/${username}`, owner.token)).body?.user as { role: string; status: string } | undefined;
  const settings = async () => (await api.get('/admin/settings', owner.token)).body.settings as Record<string, unknown>;

  before(async () => {
    server = await startTestServer('sqlite');
    api = apiClient(server.url);
    owner = await api.register(uniq('owner'));
  });
  after(async () => server?.close());

  test('when `quire user list` runs, then a header and one aligned row per account with its role and status', async () => {
    const other = await api.register(uniq('listed'));
    const r = await cli('user', 'list');
    assert.equal(r.code, 0, r.stderr);
    const lines = r.stdout.trimEnd().split('\n');
    assert.match(lines[0]!, /^USERNAME +EMAIL +ROLE +STATUS$/);
    const row = lines.find((l) => l.startsWith(`${other.username} `));
    assert.ok(row, r.stdout);
    assert.match(row, /\s+author\s+active$/);
    const roleColumn = lines[0]!.indexOf('ROLE');
    assert.equal(row.indexOf('author'), roleColumn, 'columns line up');
  });

  test('when `quire user role` runs, then the API sees the role; an unknown role or the last admin exits 1 with the reason, nothing changed', async () => {
    const alice = await api.register(uniq('alice'));
    const r = await cli('user', 'role', alice.username, 'editor');
    assert.equal(r.code, 0, r.stderr);
    assert.equal(r.stdout, `${alice.username} is now an editor\n`);
    assert.equal((await person(alice.username))?.role, 'editor');

    const bad = await cli('user', 'role', alice.username, 'wizard');
    assert.equal(bad.code, 1);
    assert.match(bad.stderr, /^quire user: role must be one of reader, contributor, author, editor, admin\n$/);
    const last = await cli('user', 'role', owner.username, 'author');
    assert.equal(last.code, 1);
    assert.match(last.stderr, /is the last admin/);
    assert.equal((await person(owner.username))?.role, 'admin');
    const nobody = await cli('user', 'role', uniq('nobody'), 'reader');
    assert.equal(nobody.code, 1);
    assert.match(nobody.stderr, /user not found/);

    assert.equal((await cli('user', 'admin', alice.username)).code, 0);
    assert.equal((await person(alice.username))?.role, 'admin');
    assert.equal((await cli('user', 'admin', alice.username, '--revoke')).code, 0);
    assert.equal((await person(alice.username))?.role, 'author');
    const lastRevoke = await cli('user', 'admin', owner.username, '--revoke');
    assert.equal(lastRevoke.code, 1, 'the last-admin rule holds for `user admin --revoke` too');
    assert.equal((await person(owner.username))?.role, 'admin');
  });

  test('when `quire user ban` runs, then the token fails on its next request; suspend and activate change the status', async () => {
    const bob = await api.register(uniq('bob'));
    assert.equal((await api.get('/user', bob.token)).status, 200);
    const r = await cli('user', 'ban', bob.username);
    assert.equal(r.code, 0, r.stderr);
    assert.equal(r.stdout, `${bob.username} is now banned\n`);
    assert.equal((await api.get('/user', bob.token)).status, 401);
    assert.equal((await cli('user', 'suspend', bob.username)).code, 0);
    assert.equal((await person(bob.username))?.status, 'suspended');
    assert.equal((await cli('user', 'activate', bob.username)).code, 0);
    assert.equal((await api.get('/user', bob.token)).status, 200);
  });

  test('when `quire user delete` runs without --yes, then it says what would go and exits 1; with --yes the account is gone', async () => {
    const carol = await api.register(uniq('carol'));
    await api.post('/articles', { article: { title: uniq('Post '), description: 'd', body: 'b' } }, carol.token);
    const dry = await cli('user', 'delete', carol.username);
    assert.equal(dry.code, 1);
    assert.match(dry.stdout, new RegExp(`^would delete ${carol.username} .*their 1 article\\(s\\).*\\nRun again with --yes to delete\\.\\n$`));
    assert.ok(await person(carol.username), 'nothing deleted');
    const heir = await api.register(uniq('heir'));
    const r = await cli('user', 'delete', carol.username, '--reassign-to', heir.username, '--yes');
    assert.equal(r.code, 0, r.stderr);
    assert.equal(await person(carol.username), undefined);
    assert.equal((await api.get(`/articles?author=${heir.username}`)).body.articlesCount, 1);
  });

  test('when `quire invite create` runs, then the printed link signs up once with its role, on the url setting once set', async () => {
    const r = await cli('invite', 'create', '--role', 'contributor', '--days', '2');
    assert.equal(r.code, 0, r.stderr);
    const link = new URL(r.stdout.trim());
    assert.equal(link.origin, 'http://localhost:4567', 'no url setting: localhost and the configured PORT');
    assert.equal(link.pathname, '/register');
    const token = link.searchParams.get('invite')!;
    const join = (username: string) => api.post('/users', { user: { username, email: `${username}@example.com`, password: 'password123', invite: token } });
    const joined = await join(uniq('invited'));
    assert.equal(joined.status, 201, joined.text);
    assert.equal((await person(joined.body.user.username))?.role, 'contributor');
    assert.equal((await join(uniq('again'))).status, 403, 'single use');

    const listed = await cli('invite', 'list');
    assert.equal(listed.code, 0, listed.stderr);
    assert.match(listed.stdout, /^ID +ROLE +EXPIRES +STATE\n/);
    assert.match(listed.stdout, /contributor +\S+ +used /);

    assert.equal((await cli('settings', 'set', 'url', 'https://blog.example.com')).code, 0);
    try {
      const canonical = await cli('invite', 'create', '--role', 'reader');
      assert.match(canonical.stdout, /^https:\/\/blog\.example\.com\/register\?invite=[\w-]{43}\n$/);
    } finally {
      await cli('settings', 'set', 'url', '');
    }
    const bad = await cli('invite', 'create', '--role', 'wizard');
    assert.equal(bad.code, 1);
    assert.match(bad.stderr, /role must be/);
  });

  test('when `quire settings` gets and sets, then the API sees it; a bad value or key exits 1 with the 422 message, nothing stored', async () => {
    const all = await cli('settings', 'get');
    assert.equal(all.code, 0, all.stderr);
    assert.match(all.stdout, /^title +Quire$/m);
    assert.match(all.stdout, /^signup +open$/m);
    const set = await cli('settings', 'set', 'title', 'Field Notes');
    assert.equal(set.code, 0, set.stderr);
    assert.equal(set.stdout, 'title = Field Notes\n');
    assert.equal((await settings()).title, 'Field Notes');
    assert.equal((await cli('settings', 'get', 'title')).stdout, 'Field Notes\n');

    const bad = await cli('settings', 'set', 'url', 'not a url');
    assert.equal(bad.code, 1);
    assert.equal(bad.stderr, 'quire settings: url must be an origin such as https://blog.example.com\n');
    assert.equal((await settings()).url, '');
    const unknown = await cli('settings', 'set', 'colour', 'red');
    assert.equal(unknown.code, 1);
    assert.match(unknown.stderr, /"colour" is not a setting/);
  });

  test('when --help or -h is given to any verb, then it prints the usage, exits 0 and changes nothing', async () => {
    const victim = await api.register(uniq('helped'));
    const before = await settings();
    const runs = [
      ['user', '--help'], ['user', 'role', victim.username, 'reader', '--help'], ['user', 'ban', victim.username, '-h'],
      ['user', 'suspend', victim.username, '--help'], ['user', 'activate', victim.username, '--help'],
      ['user', 'delete', victim.username, '--yes', '--help'], ['user', 'admin', victim.username, '-h'], ['user', 'list', '--help'],
      ['invite', '--help'], ['invite', 'create', '--role', 'reader', '--help'], ['invite', 'list', '-h'], ['invite', 'revoke', '1', '--help'],
      ['settings', '--help'], ['settings', 'set', 'title', 'Changed', '--help'], ['settings', 'get', '-h'],
    ];
    const invitesBefore = (await api.get('/admin/invites', owner.token)).body.invites.length;
    // At once: a help run opens no database, so they cannot disturb one another.
    const results = await Promise.all(runs.map((args) => cli(...args)));
    results.forEach((r, i) => {
      assert.equal(r.code, 0, `${runs[i]!.join(' ')}: ${r.stderr}`);
      assert.match(r.stdout, new RegExp(`^usage: quire ${runs[i]![0]} `), runs[i]!.join(' '));
    });
    assert.deepEqual(await person(victim.username), { ...(await person(victim.username)), role: 'author', status: 'active' });
    assert.deepEqual(await settings(), before);
    assert.equal((await api.get('/admin/invites', owner.token)).body.invites.length, invitesBefore);
  });

  test('when a verb is written wrongly, then it exits 2 with the usage', async () => {
    const runs = [['user', 'role', 'someone'], ['user', 'fly'], ['user', 'ban'], ['user', 'list', '--bogus'], ['invite'], ['invite', 'create'],
      ['invite', 'create', '--role', 'reader', '--days', 'soon'], ['settings', 'set', 'title'], ['settings', 'wipe']];
    const results = await Promise.all(runs.map((args) => cli(...args)));
    results.forEach((r, i) => {
      assert.equal(r.code, 2, `${runs[i]!.join(' ')}: ${r.stdout}${r.stderr}`);
      assert.match(r.stderr, new RegExp(`usage: quire ${runs[i]![0]} `), runs[i]!.join(' '));
    });
  });
});
