// The response LRU's caps count everything an entry holds, and the generation's shared reads fail
// together: a stalled store holds a caller for one read, never two.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { setFlagsFromString } from 'node:v8';
import { runInNewContext } from 'node:vm';
import { ENTRY_OVERHEAD_BYTES, ResponseLru, entityTag, ownedBytes, type CachedResponse } from './lru.js';
import { coalesceReads } from './generation.js';

const entry = (bodyBytes: number, extra: Partial<CachedResponse> = {}): CachedResponse => {
  const body = Buffer.alloc(bodyBytes, 'a');
  return { generation: '7', type: 'text/html; charset=utf-8', headers: {}, body, etag: entityTag(body), ...extra };
};

test('when an entry is stored, then its key, headers, every copy, the headers it was sent with and a fixed overhead count against the cap', () => {
  const lru = new ResponseLru({ maxBytes: 10_000_000 });
  const bare = entry(1000);
  lru.set('k', bare);
  const bareBytes = lru.totalBytes;
  assert.ok(bareBytes >= 1000 + ENTRY_OVERHEAD_BYTES, `a bare entry costs its body and the overhead (${bareBytes})`);

  const longKey = `k${'x'.repeat(5000)}`;
  lru.set(longKey, entry(1000));
  assert.ok(lru.totalBytes - bareBytes >= 5000 + 1000 + ENTRY_OVERHEAD_BYTES, 'the key counts');
  lru.clear();

  const full = entry(1000, { headers: { 'x-big': 'h'.repeat(3000) }, gzip: Buffer.alloc(400) });
  lru.set('k', full);
  const withCopies = lru.totalBytes;
  assert.ok(withCopies - bareBytes >= 3000 + 400, 'headers and the gzip copy count');
  assert.equal(lru.addBrotli('k', full, Buffer.alloc(300)), true);
  assert.equal(lru.totalBytes, withCopies + 300, 'the brotli copy counts');
  const sent = ['content-security-policy', 'c'.repeat(2000)];
  assert.equal(lru.addSent('k', full, sent), true);
  assert.ok(lru.totalBytes >= withCopies + 300 + 2000, 'the sent headers count');
  assert.equal(lru.totalBytes, lru.bytesOf('k', full), 'what is added up is what the entry costs');
  assert.equal(lru.addSent('k', full, sent), false, 'recorded once');
  lru.delete('k');
  assert.equal(lru.totalBytes, 0, 'every counted byte goes with it');
});

test('when a key is a slice of a long URL, then the entry does not keep the URL alive', () => {
  setFlagsFromString('--expose-gc');
  const gc = runInNewContext('gc') as () => void;
  const lru = new ResponseLru({ maxBytes: 1e12 });
  const heapUsed = () => { gc(); gc(); return process.memoryUsage().heapUsed; };
  const count = 500;
  const before = heapUsed();
  for (let i = 0; i < count; i++) {
    const url = `/api/articles?tag=t${i}&pad=${'x'.repeat(12_000)}`;
    // As cache-key.ts builds a key: the path is a slice of the URL.
    lru.set(`http\n\n\n${url.slice(0, url.indexOf('?'))}?tag=t${i}\n\n`, entry(10));
  }
  const perEntry = (heapUsed() - before) / count;
  assert.ok(perEntry < 4000, `${perEntry.toFixed(0)} bytes of heap per entry (the URL alone is 12 000)`);
  assert.equal(lru.size, count);
});

test('when tiny entries arrive without end, then the byte cap holds them to what they really cost', () => {
  const lru = new ResponseLru({ maxBytes: 1_000_000 });
  for (let i = 0; i < 10_000; i++) lru.set(`/api/articles?tag=${i}`, entry(30));
  assert.ok(lru.size < 1_000_000 / ENTRY_OVERHEAD_BYTES, `${lru.size} entries of 30 body bytes`);
  assert.ok(lru.totalBytes <= 1_000_000);
});

test('when there are more entries than the entry cap, then the least recently used leave first', () => {
  const lru = new ResponseLru({ maxBytes: 100_000_000, maxEntries: 3 });
  for (const key of ['a', 'b', 'c']) lru.set(key, entry(10));
  lru.get('a');
  lru.set('d', entry(10));
  assert.equal(lru.size, 3);
  assert.equal(lru.get('b'), undefined, 'the least recently used left');
  assert.ok(lru.get('a') && lru.get('c') && lru.get('d'));
});

test('when an entry is not held any more, then a copy or sent headers for it are refused', () => {
  const lru = new ResponseLru({ maxBytes: 100_000 });
  const gone = entry(10);
  assert.equal(lru.addSent('nowhere', gone, ['a', 'b']), false);
  assert.equal(gone.sent, undefined);
  assert.equal(lru.totalBytes, 0);
});

test('when a small body is a view of a shared pool slab, then the cache keeps a copy of its own', () => {
  const view = Buffer.from('{"articles":[],"articlesCount":0}');
  assert.ok(view.buffer.byteLength > view.length, 'Buffer.from gives a pooled view');
  const owned = ownedBytes(view);
  assert.ok(owned.equals(view));
  assert.equal(owned.buffer.byteLength, owned.length);
  const exact = Buffer.allocUnsafeSlow(10);
  assert.equal(ownedBytes(exact), exact, 'a buffer that owns its memory is kept as it is');
});

test('when the read in flight fails, then the callers queued behind it fail with it instead of waiting for one more', async () => {
  let reads = 0;
  const pending: ((value: string | Error) => void)[] = [];
  const read = coalesceReads(() => {
    reads++;
    return new Promise<string>((resolve, reject) => { pending.push((v) => (v instanceof Error ? reject(v) : resolve(v))); });
  });
  const first = read();
  const queued = [read(), read()];
  pending.shift()!(new Error('stalled'));
  await assert.rejects(first, /stalled/);
  for (const q of queued) await assert.rejects(q, /stalled/);
  assert.equal(reads, 1, 'no second read was started for them');
  const later = read();
  pending.shift()!('8');
  assert.equal(await later, '8', 'the next caller starts a new read');
});
