// What every API suite shares: one real server per suite, a client that checks every response
// (never a 5xx, no leaked ids or hashes), unique names, and assertions in the contract's error shape.
import { after, before } from 'node:test';
import assert from 'node:assert/strict';
import { randomBytes, randomUUID } from 'node:crypto';
import { hashPassword } from '../../src/users/password.js';
import { usernameKey } from '../../src/users/username.js';
import { apiClient, type ApiResponse } from '../../support/client.js';
import { startTestServer, type TestDialect, type TestServer } from '../../support/server.js';

export type Api = ReturnType<typeof apiClient>;

export interface Suite {
  dialect: TestDialect;
  server: TestServer;
  api: Api;
}

/** Starts one server for the enclosing describe() and closes it after; fields are set in before(). */
export function useServer(dialect: TestDialect): Suite {
  const suite = { dialect } as Suite;
  before(async () => {
    suite.server = await startTestServer(dialect);
    suite.api = leakCheckedClient(suite.server.url);
  });
  after(async () => {
    await suite.server?.close();
  });
  return suite;
}

function leakCheckedClient(url: string): Api {
  return apiClient(url, {
    onResponse(res, method, path) {
      assert.ok(res.status < 500, `${method} ${path} answered ${res.status}: ${res.text.slice(0, 300)}`);
      const leaks = findLeaks(res.body);
      assert.deepEqual(leaks, [], `${method} ${path} leaked ${leaks.join(', ')}: ${res.text.slice(0, 500)}`);
    },
  });
}

// Keys that would mean an internal id or a secret left the server. A comment's `id` is the one
// id the contract exposes; the keys of an error body name input fields ("password"), not values.
const leakyKey = /^(id|_id|\w+_id|\w*Id|password\w*|\w*hash\w*|is_?admin|secret|salt)$/i;
const commentPath = /\.comments?(\[\d+\])?$/;

/** Every path in a JSON value that holds an internal id, a password or a password hash. */
function findLeaks(value: unknown, path = '$'): string[] {
  if (typeof value === 'string') return /^scrypt\$/.test(value) ? [`${path} (a password hash)`] : [];
  if (Array.isArray(value)) return value.flatMap((item, i) => findLeaks(item, `${path}[${i}]`));
  if (value === null || typeof value !== 'object') return [];
  return Object.entries(value).flatMap(([key, child]) => {
    const here = `${path}.${key}`;
    const allowed = (key === 'id' && commentPath.test(path)) || path === '$.errors';
    return [...(leakyKey.test(key) && !allowed ? [here] : []), ...findLeaks(child, here)];
  });
}

/** A name no other test uses: letters and digits, so it is a valid username, tag or title word. */
export function uniq(prefix = 'u'): string {
  return `${prefix}${randomBytes(5).toString('hex')}`;
}

/** The response is `status` with the contract's body: {"errors": {field: [message, …]}}. */
export function assertError(res: ApiResponse, status: number, field: string, message?: string): void {
  assert.equal(res.status, status, `expected ${status}, got ${res.status}: ${res.text.slice(0, 300)}`);
  assert.match(res.headers.get('content-type') ?? '', /^application\/json/);
  const errors = res.body?.errors as Record<string, unknown> | undefined;
  assert.ok(errors && typeof errors === 'object', `no "errors" object in ${res.text.slice(0, 300)}`);
  for (const [key, list] of Object.entries(errors)) {
    assert.ok(Array.isArray(list) && list.length > 0 && list.every((m) => typeof m === 'string'), `errors.${key} is not a list of messages`);
  }
  assert.ok(field in errors, `expected errors.${field} in ${res.text}`);
  if (message !== undefined) assert.ok((errors[field] as string[]).includes(message), `expected errors.${field} to include "${message}" in ${res.text}`);
}

export interface Writer { token: string; username: string; email: string }

export async function registerUser(api: Api, prefix = 'u'): Promise<Writer> {
  return api.register(uniq(prefix));
}

let seedHash: Promise<string> | undefined;

/**
 * Many users at once, written straight to the database with tokens from the app's signer: a test
 * about what users do (not how they sign up) skips n password hashings through the API.
 */
export async function seedUsers(s: Suite, n: number, prefix = 'seed'): Promise<Writer[]> {
  seedHash ??= hashPassword('password123');
  const now = Date.now();
  const rows = Array.from({ length: n }, () => {
    const username = uniq(prefix);
    return { public_id: randomUUID(), username, username_key: usernameKey(username), email: `${username}@example.com`, password_hash: '', bio: null, image: null, created_at: now, updated_at: now };
  });
  const hash = await seedHash;
  await s.server.deps.database.db.insertInto('users').values(rows.map((r) => ({ ...r, password_hash: hash }))).execute();
  return Promise.all(rows.map(async (r) => ({ username: r.username, email: r.email, token: await s.server.deps.tokens.sign(r.public_id) })));
}

export interface ArticleInput { title?: string; description?: string; body?: string; tagList?: string[] }

/** Creates an article (201 asserted) and returns the contract's article object. */
export async function createArticle(api: Api, token: string, input: ArticleInput = {}) {
  const res = await api.post('/articles', {
    article: { title: uniq('Title '), description: 'A description', body: 'Some *markdown* body', ...input },
  }, token);
  assert.equal(res.status, 201, res.text);
  return res.body.article as {
    slug: string; title: string; description: string; body: string; tagList: string[];
    createdAt: string; updatedAt: string; favorited: boolean; favoritesCount: number;
  };
}
