// The figures behind /admin/stats: the chosen period, the analysis of every access log in
// LOG_DIR over it, and the charts drawn from that analysis. Knows nothing of HTTP.
import { barChart, columnChart, donutChart, STATUS_COLOURS, type Series } from './charts.js';
import { analyzeLogFiles, listAccessLogs, type LogSummary } from './log-analysis.js';

const MINUTE = 60_000;
// A Map, not an object: ?period= is the client's text, and an object has a constructor, a toString …
export const PERIODS: ReadonlyMap<string, { label: string; ms: number }> = new Map([
  ['1h', { label: 'last hour', ms: 3_600_000 }],
  ['24h', { label: 'last 24 hours', ms: 86_400_000 }],
  ['7d', { label: 'last 7 days', ms: 7 * 86_400_000 }],
  ['30d', { label: 'last 30 days', ms: 30 * 86_400_000 }],
]);
const DEFAULT_PERIOD = '24h';

export interface ChosenPeriod { key: string; label: string; since: number; until: number }

/** ?period=24h (default), or ?from=2025-01-01&to=2025-01-07 (dates, to inclusive). */
export function choosePeriod(query: { period?: unknown; from?: unknown; to?: unknown }, now = Date.now()): ChosenPeriod {
  const from = typeof query.from === 'string' ? Date.parse(query.from) : NaN;
  const to = typeof query.to === 'string' ? Date.parse(query.to) : NaN;
  // Dates from 2000 up to a day ahead; anything else (or a period that ends before it starts) falls back to the default.
  const sane = (t: number) => t >= Date.UTC(2000, 0, 1) && t <= now + 86_400_000;
  const until = Number.isNaN(to) ? now : to + (/^\d{4}-\d{2}-\d{2}$/.test(String(query.to)) ? 86_400_000 : 0);
  if (sane(from) && sane(until) && from < until) {
    return { key: 'custom', label: `${new Date(from).toISOString().slice(0, 16)} – ${new Date(until).toISOString().slice(0, 16)} UTC`, since: from, until };
  }
  const key = typeof query.period === 'string' && PERIODS.has(query.period) ? query.period : DEFAULT_PERIOD;
  const { label, ms } = PERIODS.get(key)!;
  return { key, label, since: now - ms, until: now };
}

const WIDTHS_MIN = [1, 5, 15, 30, 60, 180, 360, 720, 1440, 10080];

/** Sums per-minute counts into at most maxBars equal buckets covering [since, until), empty ones included. */
export function bucketSeries(perMinute: Series, since: number, until: number, maxBars = 60): Series {
  const spanMin = Math.max(1, Math.ceil((until - since) / MINUTE));
  const widthMin = WIDTHS_MIN.find((w) => spanMin / w <= maxBars) ?? Math.ceil(spanMin / maxBars);
  const width = widthMin * MINUTE;
  const start = Math.floor(since / width) * width;
  const count = Math.ceil((until - start) / width);
  const sums = new Array<number>(count).fill(0);
  for (const [minute, n] of perMinute) {
    const i = Math.floor((Date.parse(`${minute}:00Z`) - start) / width);
    if (i >= 0 && i < count) sums[i]! += n;
  }
  const label = (t: number) => {
    const iso = new Date(t).toISOString();
    return widthMin >= 1440 ? iso.slice(0, 10) : `${iso.slice(5, 10)} ${iso.slice(11, 16)}`;
  };
  return sums.map((n, i) => [label(start + i * width), n]);
}

export interface StatsView {
  period: ChosenPeriod;
  summary: LogSummary;
  charts: { requests: string; status: string; articles: string; browsers: string };
}

export async function statsForPeriod(logDir: string, period: ChosenPeriod): Promise<StatsView> {
  const files = await listAccessLogs(logDir, period.since);
  const summary = await analyzeLogFiles(files, { since: period.since, until: period.until }, 10);
  const charts = {
    requests: columnChart(bucketSeries(summary.perMinute.series, period.since, period.until), { title: `Requests over the ${period.label}` }),
    status: donutChart(Object.entries(summary.statusClasses), { title: 'Status mix', colours: STATUS_COLOURS }),
    articles: barChart(summary.topArticles, { title: 'Top articles' }),
    browsers: barChart(summary.browsers.slice(0, 8), { title: 'Browser share (people)', total: summary.people }),
  };
  return { period, summary, charts };
}
