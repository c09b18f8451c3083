// Hostile and broken input gets the contract's answer, never a 500: malformed JSON, wrong types,
// oversized bodies and fields, broken gzip, invalid UTF-8, bad paging, bad tokens, unknown routes, CORS.
import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { gzipSync } from 'node:zlib';
import { SignJWT, decodeJwt } from 'jose';
import { assertError, createArticle, registerUser, uniq, type Suite } from '../harness.js';

const TEST_SECRET = 'test-secret-that-is-long-enough-0123456789';

function signToken(sub: string, secret: string, exp: number): Promise<string> {
  return new SignJWT({}).setProtectedHeader({ alg: 'HS256' }).setSubject(sub)
    .setIssuedAt(exp - 3600).setExpirationTime(exp).sign(new TextEncoder().encode(secret));
}

export function badInputContract(s: Suite): void {
  describe('bad input', () => {
    test('when the body is not valid JSON, then 400 "body is not valid JSON"', async () => {
      const user = await registerUser(s.api);
      for (const raw of ['{"user": {', '{user: 1}', '"just a string"', 'null', '{"a":1}}', '']) {
        const res = await s.api.request('POST', '/articles', { raw, token: user.token });
        if (raw === '') assertError(res, 422, 'article', "can't be blank");
        else assertError(res, 400, 'body', 'is not valid JSON');
      }
    });

    test('when fields have the wrong type, then 422 names each field', async () => {
      const user = await registerUser(s.api);
      const post = (article: unknown) => s.api.post('/articles', { article }, user.token);
      assertError(await post({ title: 5, description: 'd', body: 'b' }), 422, 'title', 'is invalid');
      assertError(await post({ title: 't', description: 'd', body: 'b', tagList: 'x' }), 422, 'tagList', 'must be a list of tags');
      assertError(await post({ title: 't', description: 'd', body: 'b', tagList: [5] }), 422, 'tagList');
      assertError(await post({ title: ['t'], description: { a: 1 }, body: true }), 422, 'description', 'is invalid');
      assertError(await post('a string'), 422, 'article', "can't be blank");
      assertError(await post([1, 2]), 422, 'article', "can't be blank");
      assertError(await s.api.post('/users', { user: { username: 5, email: false, password: 12345678 } }), 422, 'password', 'is invalid');
      assertError(await s.api.put('/user', { user: { bio: 5 } }, user.token), 422, 'bio', 'is invalid');
      const art = await createArticle(s.api, user.token);
      assertError(await s.api.post(`/articles/${art.slug}/comments`, { comment: { body: 42 } }, user.token), 422, 'body', 'is invalid');
      assertError(await s.api.put(`/articles/${art.slug}`, { article: { tagList: 'x' } }, user.token), 422, 'tagList');
    });

    test('when a body is over the limit (10 MB), then 413 "body is too large"', async () => {
      const user = await registerUser(s.api);
      const raw = JSON.stringify({ article: { title: 't', description: 'd', body: 'x'.repeat(10 * 1024 * 1024) } });
      assertError(await s.api.request('POST', '/articles', { raw, token: user.token }), 413, 'body', 'is too large');
      assertError(await s.api.request('POST', '/users', { raw }), 413, 'body', 'is too large');
    });

    test('when the body is gzip-encoded, then a good one is read, a broken one is a 400 and a bomb a 413', async () => {
      const user = await registerUser(s.api);
      const gzip = (json: unknown) => gzipSync(JSON.stringify(json));
      const post = (raw: Uint8Array) => s.api.request('POST', '/articles', { raw, token: user.token, headers: { 'content-encoding': 'gzip' } });
      const good = await post(gzip({ article: { title: uniq('Zipped '), description: 'd', body: 'b' } }));
      assert.equal(good.status, 201, good.text);
      assertError(await post(Buffer.from('this is not gzip')), 400, 'body', 'cannot be decompressed');
      assertError(await post(gzip({ article: { title: 't', description: 'd', body: 'x'.repeat(10 * 1024 * 1024) } })), 413, 'body', 'is too large');
    });

    test('when a field is far too long (a 100 KB title), then 422 with its maximum', async () => {
      const user = await registerUser(s.api);
      const res = await s.api.post('/articles', { article: { title: 't'.repeat(100 * 1024), description: 'd', body: 'b' } }, user.token);
      assertError(res, 422, 'title', 'is too long (maximum is 255 characters)');
      assertError(await s.api.post('/articles', { article: { title: 't', description: 'd', body: 'b', tagList: ['x'.repeat(65)] } }, user.token), 422, 'tagList');
      assertError(await s.api.post('/articles', { article: { title: 't', description: 'd', body: 'b', tagList: Array.from({ length: 21 }, (_, i) => `t${i}`) } }, user.token), 422, 'tagList');
    });

    test('when fields are as long as allowed, in 4-byte characters, then both databases store them whole', async () => {
      const user = await registerUser(s.api);
      const emoji = '\u{1F600}';
      const art = await createArticle(s.api, user.token, { title: emoji.repeat(255), description: emoji.repeat(1000), tagList: [emoji.repeat(64)] });
      assert.equal((await s.api.get(`/articles/${art.slug}`)).body.article.title, emoji.repeat(255));
      const comment = await s.api.post(`/articles/${art.slug}/comments`, { comment: { body: emoji.repeat(16_000) } }, user.token);
      assert.equal(comment.status, 201, comment.text);
      assert.equal(comment.body.comment.body.length, 32_000);
      const bio = await s.api.put('/user', { user: { bio: emoji.repeat(10_000) } }, user.token);
      assert.equal(bio.status, 200, bio.text);
      assertError(await s.api.post(`/articles/${art.slug}/comments`, { comment: { body: 'x'.repeat(16_001) } }, user.token), 422, 'body');
    });

    test('when the body holds invalid UTF-8, then it is decoded with U+FFFD replacements and stored as decoded', async () => {
      const user = await registerUser(s.api);
      const raw = Buffer.concat([
        Buffer.from('{"article":{"title":"bad '), Buffer.from([0xff, 0xfe, 0xc3]), Buffer.from(' bytes","description":"d","body":"lone \\ud800 surrogate"}}'),
      ]);
      const res = await s.api.request('POST', '/articles', { raw, token: user.token });
      assert.equal(res.status, 201, res.text);
      assert.ok(res.body.article.title.includes('\uFFFD'), res.body.article.title);
      const read = await s.api.get(`/articles/${res.body.article.slug}`);
      assert.equal(read.body.article.title, res.body.article.title);
      assert.equal(read.status, 200);
    });

    test('when limit or offset is not a whole number in range, then 422; an offset past the end is an empty page', async () => {
      for (const query of ['limit=-1', 'limit=abc', 'limit=0', 'limit=101', 'limit=1.5', 'offset=1e9', 'offset=-1', 'offset=abc', 'limit=1&limit=2']) {
        const field = query.startsWith('limit') ? 'limit' : 'offset';
        assertError(await s.api.get(`/articles?${query}`), 422, field);
      }
      const user = await registerUser(s.api);
      assertError(await s.api.get('/articles/feed?limit=-1', user.token), 422, 'limit');
      const far = await s.api.get(`/articles?offset=1000000000&author=${user.username}`);
      assert.deepEqual(far.body, { articles: [], articlesCount: 0 });
      assertError(await s.api.get('/articles?offset=1000000001'), 422, 'offset');
    });

    test('when a filter is repeated or far too long, then 422', async () => {
      assertError(await s.api.get('/articles?tag=a&tag=b'), 422, 'tag', 'is invalid');
      assertError(await s.api.get(`/articles?q=${'x'.repeat(201)}`), 422, 'q');
      assertError(await s.api.get(`/articles?author=${'x'.repeat(65)}`), 422, 'author');
    });

    test('when a token is expired, signed with another secret, unsigned, or names no user, then 401 "token is invalid"', async () => {
      const user = await registerUser(s.api);
      const sub = decodeJwt(user.token).sub!;
      const now = Math.floor(Date.now() / 1000);
      const unsigned = `${Buffer.from('{"alg":"none"}').toString('base64url')}.${Buffer.from(JSON.stringify({ sub, exp: now + 60 })).toString('base64url')}.`;
      const tokens = {
        expired: await signToken(sub, TEST_SECRET, now - 60),
        foreign: await signToken(sub, 'another-secret-that-is-also-long-enough-xyz', now + 3600),
        unsigned,
        nobody: await signToken('00000000-0000-0000-0000-000000000000', TEST_SECRET, now + 3600),
      };
      for (const token of Object.values(tokens)) {
        assertError(await s.api.get('/user', token), 401, 'token', 'is invalid');
        assertError(await s.api.get('/articles', token), 401, 'token', 'is invalid');
      }
      const fresh = await signToken(sub, TEST_SECRET, now + 3600);
      assert.equal((await s.api.get('/user', fresh)).status, 200, 'the same claims, signed right and in date, work');
    });

    test('when an unknown /api route or slug is asked for, then 404 JSON', async () => {
      assertError(await s.api.get('/nope'), 404, 'route', 'not found');
      assertError(await s.api.post('/articles/x/y/z', {}), 404, 'route', 'not found');
      assertError(await s.api.get(`/articles/${uniq('missing-')}`), 404, 'article', 'not found');
      assertError(await s.api.get('/articles/%E0%A4%A'), 404, 'article');
    });

    test('when a route exists but not for that method, then 405 JSON with Allow', async () => {
      const res = await s.api.request('PATCH', '/articles');
      assertError(res, 405, 'method', 'is not allowed');
      assert.match(res.headers.get('allow') ?? '', /GET/);
    });

    test('when a browser sends a CORS preflight, then Authorization and Content-Type are allowed', async () => {
      const res = await fetch(`${s.server.url}/api/articles/some-slug`, {
        method: 'OPTIONS',
        headers: { origin: 'https://front.example', 'access-control-request-method': 'PUT', 'access-control-request-headers': 'authorization, content-type' },
      });
      assert.ok(res.status === 204 || res.status === 200, `status ${res.status}`);
      assert.equal(res.headers.get('access-control-allow-origin'), '*');
      const allowed = (res.headers.get('access-control-allow-headers') ?? '').toLowerCase();
      assert.ok(allowed.includes('authorization') && allowed.includes('content-type'), allowed);
      assert.match(res.headers.get('access-control-allow-methods') ?? '', /PUT/);
      const get = await fetch(`${s.server.url}/api/tags`, { headers: { origin: 'https://front.example' } });
      assert.equal(get.headers.get('access-control-allow-origin'), '*');
    });

    test('when input carries fields the contract does not accept, then they are ignored', async () => {
      const user = await registerUser(s.api);
      const other = await registerUser(s.api);
      const res = await s.api.post('/articles', {
        article: { title: uniq('Mine '), description: 'd', body: 'b', slug: 'chosen-slug', author: { username: other.username }, favoritesCount: 99 },
      }, user.token);
      assert.equal(res.status, 201, res.text);
      assert.notEqual(res.body.article.slug, 'chosen-slug');
      assert.equal(res.body.article.author.username, user.username);
      assert.equal(res.body.article.favoritesCount, 0);
      const username = uniq('plain');
      const reg = await s.api.post('/users', { user: { username, email: `${username}@example.com`, password: 'password123', is_admin: 1, isAdmin: true, role: 'admin' } });
      assert.equal(reg.status, 201, reg.text);
      const row = await s.server.deps.database.db.selectFrom('users').select('role').where('username', '=', username).executeTakeFirstOrThrow();
      assert.equal(row.role, 'author');
    });
  });
}
