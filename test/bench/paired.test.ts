// The bench's slices of one load, reduced to one row (bench/lib/paired.ts).
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { combine, mergedPercentile } from '../../bench/lib/paired.js';
import type { LoadResult } from '../../bench/lib/load.js';

const slice = (rps: number, p50: number, p99: number, requests: number, serverCpuUs: number, extra: Partial<LoadResult> = {}): LoadResult =>
  ({ tool: 'autocannon', rps, p50, p99, errors: 0, requests, serverCpuUs, ...extra });

test('when slices of equal length without latency points are combined, then req/s is their mean, p99 the worst, p50 the median, and CPU per request is over all requests', () => {
  const row = combine([
    slice(1000, 5, 20, 2000, 100, { clientCpu: 0.5, errors: 1 }),
    slice(3000, 4, 9, 6000, 50, { clientCpu: 0.7 }),
    slice(2000, 6, 12, 4000, 80, { clientCpu: 0.6, errors: 2 }),
  ]);
  assert.equal(row.rps, 2000);
  assert.equal(row.p99, 20);
  assert.equal(row.p50, 5);
  assert.equal(row.requests, 12_000);
  assert.equal(row.errors, 3);
  // (2000 × 100 + 6000 × 50 + 4000 × 80) / 12000 µs
  assert.equal(Math.round(row.serverCpuUs * 1000) / 1000, 68.333);
  assert.equal(Math.round(row.clientCpu! * 1000) / 1000, 0.6);
});

test('when wrk slices are combined, then the row has no client CPU, and an even count takes the lower middle p50', () => {
  const row = combine([slice(10, 3, 8, 20, 1, { tool: 'wrk' }), slice(30, 1, 9, 60, 1, { tool: 'wrk' })]);
  assert.equal(row.tool, 'wrk');
  assert.equal(row.clientCpu, undefined);
  assert.equal(row.p50, 1);
  assert.equal(row.rps, 20);
});

test('when there are no slices, then combine refuses', () => {
  assert.throws(() => combine([]), /no slices/);
});

const uniform = (maxMs: number) => [{ p: 0, ms: 0 }, { p: 50, ms: maxMs / 2 }, { p: 99, ms: maxMs * 0.99 }, { p: 100, ms: maxMs }];

test('when slices share one distribution, then the merged percentiles are theirs', () => {
  const slices = [{ requests: 500, latencyPoints: uniform(10) }, { requests: 1500, latencyPoints: uniform(10) }];
  assert.equal(mergedPercentile(slices, 0.5), 5);
  assert.equal(Math.round(mergedPercentile(slices, 0.99) * 1000) / 1000, 9.9);
});

test('when one slice is slower, then the merged p99 lies between the slices\' and weighs their requests', () => {
  // Half the requests within 10 ms, half spread evenly to 100 ms: 99% of all take at most 98 ms.
  const even = [{ requests: 1000, latencyPoints: uniform(10) }, { requests: 1000, latencyPoints: uniform(100) }];
  assert.equal(Math.round(mergedPercentile(even, 0.99) * 1000) / 1000, 98);
  // A slow slice with a tenth of the requests: 99% of all take at most 90 ms.
  const few = [{ requests: 9000, latencyPoints: uniform(10) }, { requests: 1000, latencyPoints: uniform(100) }];
  assert.equal(Math.round(mergedPercentile(few, 0.99) * 1000) / 1000, 90);
});

test('when slices carry latency points, then combine reports the merged p50 and p99, not the worst slice\'s', () => {
  const fast = { tool: 'wrk' as const, rps: 100, p50: 5, p99: 9.9, errors: 0, requests: 9000, serverCpuUs: 1, latencyPoints: uniform(10) };
  const slow = { ...fast, p50: 50, p99: 99, requests: 1000, latencyPoints: uniform(100) };
  const row = combine([fast, slow, fast]);
  assert.ok(row.p99 > 9.9 && row.p99 < 99, `merged p99 ${row.p99} ms lies between the slices'`);
  assert.ok(row.p50 > 5 && row.p50 < 50, `merged p50 ${row.p50} ms lies between the slices'`);
});
