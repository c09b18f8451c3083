// When `quire logs` reads a generated log (plain, gzipped, with bad lines), then it reports the
// same figures as a plain reference computation over the entries the log was made from.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { execFile } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { promisify } from 'node:util';
import zlib from 'node:zlib';
import { formatAccessLine, type AccessEntry } from '../../src/middleware/access-log.js';
import { analyzeLogFiles, type LogSummary } from '../../src/stats/log-analysis.js';
import { classifyAgent } from '../../src/stats/user-agent.js';
import { withTempDir } from '../../support/temp-dir.js';
import { sampleEntries } from './sample-log.js';

const run = promisify(execFile);
const quire = path.resolve(import.meta.dirname, '../../bin/quire.js');

/** The figures, computed the obvious way: arrays, sorts, no sketches. */
function reference(entries: AccessEntry[]) {
  const count = (keys: string[]) => {
    const m = new Map<string, number>();
    for (const k of keys) m.set(k, (m.get(k) ?? 0) + 1);
    return m;
  };
  const ranked = (m: Map<string, number>, n = Infinity) =>
    [...m].sort((a, b) => b[1] - a[1] || (a[0] < b[0] ? -1 : 1)).slice(0, n);
  const agents = entries.map((e) => classifyAgent(e.userAgent));
  const people = entries.filter((_, i) => !agents[i]!.bot);
  const durations = entries.map((e) => Number(e.durationMs.toFixed(3))).sort((a, b) => a - b);
  const at = (q: number) => durations[Math.max(1, Math.ceil(q * durations.length)) - 1]!;
  const codes = count(entries.map((e) => String(e.status)));
  const perMinute = count(entries.map((e) => e.time.toISOString().slice(0, 16)));
  return {
    requests: entries.length,
    statusCodes: Object.fromEntries([...codes].sort()),
    statusClasses: Object.fromEntries([...count(entries.map((e) => `${String(e.status)[0]}xx`))].sort()),
    topPages: ranked(count(entries.map((e) => e.url.split('?')[0]!)), 10),
    topArticles: ranked(count(entries.filter((e) => e.method === 'GET' && e.status < 400 && /^\/article\/[^/]+$/.test(e.url.split('?')[0]!)).map((e) => e.url.split('?')[0]!)), 10),
    topReferrers: ranked(count(entries.map((e) => e.referrer).filter((r) => r !== '-')), 10),
    browsers: ranked(count(people.map((e) => classifyAgent(e.userAgent).browser))),
    os: ranked(count(people.map((e) => classifyAgent(e.userAgent).os))),
    bots: entries.length - people.length,
    p50: at(0.5), p95: at(0.95), p99: at(0.99),
    peakPerMinute: Math.max(...perMinute.values()),
  };
}

function assertMatches(summary: LogSummary, expected: ReturnType<typeof reference>) {
  assert.equal(summary.requests, expected.requests);
  assert.deepEqual(summary.statusCodes, expected.statusCodes);
  assert.deepEqual(summary.statusClasses, expected.statusClasses);
  assert.deepEqual(summary.topPages, expected.topPages);
  assert.deepEqual(summary.topArticles, expected.topArticles);
  assert.deepEqual(summary.topReferrers, expected.topReferrers);
  assert.deepEqual(summary.browsers, expected.browsers);
  assert.deepEqual(summary.os, expected.os);
  assert.equal(summary.bots, expected.bots);
  assert.equal(summary.perMinute.peak, expected.peakPerMinute);
  for (const q of ['p50', 'p95', 'p99'] as const) {
    const got = summary.latencyMs![q];
    assert.ok(got >= expected[q] && got <= expected[q] * 1.02 + 1e-9, `${q}: ${got} vs exact ${expected[q]}`);
  }
  assert.equal(summary.approximate, false);
}

const BAD_LINES = [
  '10.0.0.1 - - [02/Jan/2025:10:00:00 +0000] "GET /truncated HTTP/1.1" 200 12 "-" "Mozi', // cut short mid-write
  '{"level":30,"msg":"a pino line in the wrong file"}',
  '127.0.0.1 - frank [10/Oct/2000:13:55:36 -0700] "GET /apache_pb.gif HTTP/1.0" 200', // common format, too short
  '',
  Buffer.from([0x00, 0xff, 0xfe, 0x1f, 0x8b, 0x07, 0x80, 0x81]).toString('latin1'), // binary garbage
];

function writeSample(dir: string) {
  const entries = [...sampleEntries(6000, { seed: 42 })];
  const lines = entries.map(formatAccessLine);
  // Half in a rotated, gzipped file; half plain, with the bad lines scattered through it.
  const rotated = path.join(dir, 'access-0-20250102-100000-1.log.gz');
  fs.writeFileSync(rotated, zlib.gzipSync(lines.slice(0, 3000).join('')));
  const plain = lines.slice(3000);
  BAD_LINES.forEach((bad, i) => plain.splice(i * 500, 0, `${bad}\n`));
  const current = path.join(dir, 'access-0.log');
  fs.writeFileSync(current, plain.join(''));
  return { entries, files: [rotated, current] };
}

test('when a plain and a gzipped log are analysed, then the figures equal the reference computation', () => withTempDir('quire-logs-', async (dir) => {
  const { entries, files } = writeSample(dir);
  const summary = await analyzeLogFiles(files);
  assertMatches(summary, reference(entries));
  assert.equal(summary.badLines, BAD_LINES.length);
  assert.equal(summary.lines, entries.length + BAD_LINES.length);
}));

test('when --since and --until are given, then only requests inside the period count', () => withTempDir('quire-logs-', async (dir) => {
  const { entries, files } = writeSample(dir);
  const since = entries[1000]!.time.getTime();
  const until = entries[4000]!.time.getTime();
  const inside = entries.filter((e) => e.time.getTime() >= since && e.time.getTime() < until);
  const summary = await analyzeLogFiles(files, { since, until });
  assertMatches(summary, reference(inside));
  assert.equal(summary.outsidePeriod, entries.length - inside.length);
}));

test('when bad input is read (garbage, a huge line without newline, a truncated .gz, a missing file), then it is counted and skipped', () => withTempDir('quire-logs-', async (dir) => {
  const good = [...sampleEntries(100, { seed: 7 })].map(formatAccessLine).join('');
  const huge = path.join(dir, 'huge.log');
  fs.writeFileSync(huge, Buffer.concat([Buffer.from(good), Buffer.alloc(3 * 1024 * 1024, 0x41), Buffer.from('\n'), Buffer.from(good)]));
  const truncated = path.join(dir, 'cut.log.gz');
  const gz = zlib.gzipSync(good);
  fs.writeFileSync(truncated, gz.subarray(0, Math.floor(gz.length * 0.6)));
  const summary = await analyzeLogFiles([huge, truncated, path.join(dir, 'missing.log')]);
  assert.ok(summary.requests >= 200 && summary.requests < 300, `requests ${summary.requests}`);
  assert.ok(summary.badLines >= 1);
  assert.equal(summary.files[0]!.error, undefined);
  assert.match(summary.files[1]!.error ?? '', /end of file|unexpected/i);
  assert.equal(summary.files[2]!.error, 'no such file');
}));

test('when `quire logs --json` runs on the sample, then it prints the reference figures; without --json, a readable report', () => withTempDir('quire-logs-', async (dir) => {
  const { entries, files } = writeSample(dir);
  const { stdout } = await run(process.execPath, [quire, 'logs', '--json', ...files]);
  const summary = JSON.parse(stdout) as LogSummary;
  assertMatches(summary, reference(entries));
  assert.equal(summary.badLines, BAD_LINES.length);
  const text = (await run(process.execPath, [quire, 'logs', '--since', '2025-01-02T10:00:00Z', ...files])).stdout;
  assert.match(text, /requests: +6000/);
  assert.match(text, /latency: +p50 [\d.]+ ms +p95 [\d.]+ ms +p99/);
  assert.match(text, /top pages:\n {2}\/ /);
}));
