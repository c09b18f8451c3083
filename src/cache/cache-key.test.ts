// A cached route's key holds the parameters it reads, in one order, each as the route reads it: so
// junk cannot multiply entries, and a different meaningful value is a different entry.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import type { IncomingMessage } from 'node:http';
import { cacheKey, cachedRoute, canonicalQuery } from './cache-key.js';

const canonical = (url: string) => {
  const [path, query = ''] = url.split('?');
  return canonicalQuery(cachedRoute(path!), query);
};
const keyOf = (url: string, headers: Record<string, string> = {}) =>
  cacheKey({ url, headers: { host: 'blog.example', ...headers }, socket: {} } as unknown as IncomingMessage, false);

test('when parameters come reordered or with unknown ones, then the key is the same', () => {
  assert.equal(keyOf('/api/articles?tag=a&limit=5&utm=1'), keyOf('/api/articles?limit=5&tag=a'));
  assert.equal(keyOf('/api/articles?offset=20&author=x&tag=t'), keyOf('/api/articles?tag=t&author=x&offset=20&z=9'));
  assert.equal(keyOf('/?fbclid=123'), keyOf('/'));
  assert.equal(keyOf('/article/a-slug?ref=feed&page=1'), keyOf('/article/a-slug'));
  assert.equal(keyOf('/api/tags?x=1'), keyOf('/api/tags'));
});

test('when a value is written another way the route reads the same, then the key is the same', () => {
  for (const same of ['/?page=01', '/?page=1', '/?page=junk', '/?page=', '/?page=0', '/?page=-3', '/?page=1&page=2', '/?feed=global', '/?page=999999']) {
    assert.equal(canonical(same), '', same);
  }
  assert.equal(canonical('/tag/x?page=002'), 'page=2');
  assert.equal(canonical('/tag/x?page=2.0'), 'page=2');
  assert.equal(canonical('/api/articles?limit=05&offset=0'), 'limit=5');
  assert.equal(canonical('/api/articles?limit=20'), '', 'the default is the same as none');
  assert.equal(canonical(`/api/articles?offset=${'0'.repeat(40)}7`), 'offset=7');
  assert.equal(canonical('/search?q=%20cats%20&page=1'), 'q=cats');
  assert.equal(canonical('/search?q=+'), '');
});

test('when values differ in meaning, then the keys differ', () => {
  assert.notEqual(keyOf('/?page=2'), keyOf('/?page=3'));
  assert.notEqual(keyOf('/?page=2'), keyOf('/'));
  assert.notEqual(keyOf('/?feed=following'), keyOf('/'));
  assert.notEqual(keyOf('/api/articles?tag=a'), keyOf('/api/articles?tag=b'));
  assert.notEqual(keyOf('/api/articles?tag=a'), keyOf('/api/articles?author=a'));
  assert.notEqual(keyOf('/api/articles?limit=5'), keyOf('/api/articles?limit=6'));
  assert.notEqual(keyOf('/api/articles?q=a'), keyOf('/api/articles?q=A'));
  assert.notEqual(keyOf('/search?q=cats'), keyOf('/search?q=dogs'));
  assert.notEqual(keyOf('/@ann'), keyOf('/@ann/favorites'));
  assert.notEqual(keyOf('/article/a-slug?page=2'), keyOf('/article/a-slug'), 'a page of its comments');
  assert.notEqual(keyOf('/'), keyOf('/', { host: 'other.example' }));
  assert.notEqual(keyOf('/api/tags'), keyOf('/api/tags', { accept: 'text/html' }));
});

test('when a value is one the route refuses, then it is passed on as sent, so the route still refuses it', () => {
  assert.equal(canonical('/api/articles?limit=abc'), 'limit=abc');
  assert.equal(canonical('/api/articles?limit=1&limit=2'), 'limit=1&limit=2');
  assert.equal(canonical('/api/articles?tag=a&tag=b'), 'tag=a&tag=b');
  assert.equal(canonical('/api/articles?limit=1e3'), 'limit=1e3');
});

test('when a path is not a cached route, then its query is kept whole', () => {
  assert.equal(cachedRoute('/login'), undefined);
  assert.equal(canonical('/login?next=/x&b=1'), 'next=/x&b=1');
  assert.equal(cachedRoute('/api/articles/feed'), undefined, 'the signed-in feed is never cached');
});
