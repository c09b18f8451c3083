// Deterministic sample traffic for log tests and the 1 GB measurement: entries (the truth) and
// the access-log lines our middleware would write for them.
import type { AccessEntry } from '../../src/middleware/access-log.js';

const USER_AGENTS = [
  'Mozilla/5.0 (Windows NT 10.0; Win64; x64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/124.0.0.0 Safari/537.36',
  'Mozilla/5.0 (Macintosh; Intel Mac OS X 14_4) AppleWebKit/605.1.15 (KHTML, like Gecko) Version/17.4 Safari/605.1.15',
  'Mozilla/5.0 (X11; Linux x86_64; rv:125.0) Gecko/20100101 Firefox/125.0',
  'Mozilla/5.0 (iPhone; CPU iPhone OS 17_4 like Mac OS X) AppleWebKit/605.1.15 (KHTML, like Gecko) Version/17.4 Mobile/15E148 Safari/604.1',
  'Mozilla/5.0 (compatible; Googlebot/2.1; +http://www.google.com/bot.html)',
  'curl/8.5.0',
  '-',
];
const PATHS = ['/', '/tag/koa', '/search', '/feed.xml', '/api/articles', '/login', '/@alice', ...Array.from({ length: 40 }, (_, i) => `/article/post-${i}`)];
const REFERRERS = ['-', '-', '-', 'https://news.ycombinator.com/', 'https://www.google.com/', 'http://127.0.0.1/'];
const STATUSES = [200, 200, 200, 200, 200, 200, 304, 301, 404, 500];

/** A small, fast, seeded PRNG (mulberry32), so every run sees the same traffic. */
export function random(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

export function* sampleEntries(count: number, opts: { seed?: number; start?: number; stepMs?: number } = {}): Generator<AccessEntry> {
  const rnd = random(opts.seed ?? 1);
  const pick = <T>(list: T[]) => list[Math.floor(rnd() * list.length)]!;
  // Skewed toward the first pages, as real traffic is.
  const pickPath = () => PATHS[Math.floor(rnd() ** 2 * PATHS.length)]!;
  const start = opts.start ?? Date.UTC(2025, 0, 2, 10, 0, 0);
  const step = opts.stepMs ?? 37;
  for (let i = 0; i < count; i++) {
    yield {
      ip: `10.0.${Math.floor(rnd() * 256)}.${Math.floor(rnd() * 256)}`,
      time: new Date(start + i * step),
      method: rnd() < 0.9 ? 'GET' : 'POST',
      url: rnd() < 0.2 ? `${pickPath()}?page=${1 + Math.floor(rnd() * 5)}` : pickPath(),
      httpVersion: '1.1',
      status: pick(STATUSES),
      bytes: Math.floor(rnd() * 40_000),
      referrer: pick(REFERRERS),
      userAgent: pick(USER_AGENTS),
      // Mostly fast, a long tail.
      durationMs: Math.round((0.3 + 30 * rnd() ** 6) * 1000) / 1000,
    };
  }
}
