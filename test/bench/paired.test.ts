// The bench's slices of one load, reduced to one row (bench/lib/paired.ts).
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { combine } from '../../bench/lib/paired.js';
import type { LoadResult } from '../../bench/lib/load.js';

const slice = (rps: number, p50: number, p99: number, requests: number, serverCpuUs: number, extra: Partial<LoadResult> = {}): LoadResult =>
  ({ tool: 'autocannon', rps, p50, p99, errors: 0, requests, serverCpuUs, ...extra });

test('when slices of equal length are combined, then req/s is their mean, p99 the worst, p50 the median, and CPU per request is over all requests', () => {
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
