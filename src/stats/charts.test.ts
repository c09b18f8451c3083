// When the charts are drawn, then they are self-contained SVG with one mark per value and escaped labels.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { barChart, columnChart, donutChart, niceMax } from './charts.js';
import { bucketSeries, choosePeriod } from './stats.service.js';

const count = (svg: string, re: RegExp) => (svg.match(re) ?? []).length;

test('when a column chart is drawn, then it has one bar per point, an axis and a title', () => {
  const svg = columnChart([['10:00', 3], ['10:05', 0], ['10:10', 7]], { title: 'Requests' });
  assert.match(svg, /^<svg xmlns="http:\/\/www.w3.org\/2000\/svg"[^>]* role="img"/);
  assert.equal(count(svg, /<rect class="bar"/g), 3);
  assert.match(svg, /<title id="t\d+">Requests<\/title>/);
  assert.match(svg, />10<\/text>/, 'the y axis tops out at a nice 10');
});

test('when labels hold markup, then they are escaped', () => {
  const svg = barChart([['<script>alert(1)</script>', 5]], { title: 'x & "y"' });
  assert.ok(!svg.includes('<script>'));
  assert.match(svg, /&lt;script&gt;/);
  assert.match(svg, /x &amp; &quot;y&quot;/);
});

test('when a donut is drawn, then each non-zero part is a slice and a single part is a full ring', () => {
  assert.equal(count(donutChart([['2xx', 8], ['4xx', 2], ['5xx', 0]], { title: 's' }), /class="slice"/g), 2);
  assert.equal(count(donutChart([['2xx', 8]], { title: 's' }), /<circle class="slice"/g), 1);
});

test('when per-minute counts are bucketed, then the buckets cover the period and keep every request', () => {
  const since = Date.UTC(2025, 0, 1, 0, 0);
  const until = since + 86_400_000;
  const series: Array<[string, number]> = [['2025-01-01T00:00', 2], ['2025-01-01T13:37', 5], ['2025-01-02T00:00', 9]];
  const buckets = bucketSeries(series, since, until, 60);
  assert.equal(buckets.length, 48, '30-minute buckets over a day');
  assert.equal(buckets.reduce((s, [, n]) => s + n, 0), 7, 'the minute at `until` is outside');
  assert.deepEqual(buckets[27], ['01-01 13:30', 5]);
  assert.equal(niceMax(0), 1);
  assert.equal(niceMax(73), 100);
  assert.equal(niceMax(101), 200);
});

test('when the period is chosen, then presets and from/to dates both work', () => {
  const now = Date.UTC(2025, 5, 1, 12);
  assert.deepEqual(choosePeriod({}, now), { key: '24h', label: 'last 24 hours', since: now - 86_400_000, until: now });
  assert.equal(choosePeriod({ period: '7d' }, now).since, now - 7 * 86_400_000);
  const custom = choosePeriod({ from: '2025-05-01', to: '2025-05-02' }, now);
  assert.equal(custom.since, Date.UTC(2025, 4, 1));
  assert.equal(custom.until, Date.UTC(2025, 4, 3));
});

test('when dates are swapped or far out of range, then the default period is used instead of failing', () => {
  const now = Date.UTC(2025, 5, 1, 12);
  for (const query of [{ from: '2025-01-05', to: '2025-01-01' }, { from: '275760-09-13' }, { from: '-271821-04-20', to: '2020-01-01' }]) {
    const period = choosePeriod(query, now);
    assert.equal(period.key, '24h', JSON.stringify(query));
    assert.ok(bucketSeries([], period.since, period.until).length > 0);
  }
});
