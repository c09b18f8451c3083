// The figures operators ask of an access log — status mix, top pages, referrers, browsers, bots,
// latency percentiles, requests per minute — computed in one pass in bounded memory. Used by
// `quire logs` and by /admin/stats, so both always agree.
import fs from 'node:fs/promises';
import path from 'node:path';
import { isAccessLogName } from '../runtime/log-files.js';
import { parseAccessLine, type AccessRecord } from './access-line.js';
import { LatencyHistogram } from './latency-histogram.js';
import { forEachLine } from './line-reader.js';
import { TopCounter } from './top-counter.js';
import { AgentCache } from './user-agent.js';

export interface Period {
  /** Epoch ms, inclusive. */
  since?: number;
  /** Epoch ms, exclusive. */
  until?: number;
}

export type Ranked = Array<[string, number]>;

export interface LogSummary {
  files: Array<{ file: string; lines: number; error?: string }>;
  /** Lines read, good or bad. */
  lines: number;
  /** Well-formed lines inside the period. */
  requests: number;
  /** Lines that were not access lines (truncated, binary, other formats, overlong). */
  badLines: number;
  /** A few bad lines, cut short, to show what was skipped. */
  badSamples: string[];
  /** Well-formed lines outside --since/--until. */
  outsidePeriod: number;
  first?: string;
  last?: string;
  statusClasses: Record<string, number>;
  statusCodes: Record<string, number>;
  topPages: Ranked;
  topArticles: Ranked;
  topReferrers: Ranked;
  browsers: Ranked;
  os: Ranked;
  bots: number;
  people: number;
  latencyMs: { count: number; p50: number; p95: number; p99: number; mean: number; max: number } | null;
  /** Requests per minute: the busiest minute, the mean over the minutes spanned, and the series. */
  perMinute: { peak: number; mean: number; series: Array<[string, number]> };
  /** True when a counter dropped rare keys to stay in bounds (more distinct pages than it holds). */
  approximate: boolean;
}

const ARTICLE_PAGE = /^\/article\/[^/]+$/;
const MINUTE = 60_000;

export class LogAnalysis {
  lines = 0;
  requests = 0;
  badLines = 0;
  outsidePeriod = 0;
  readonly badSamples: string[] = [];
  private first = Infinity;
  private last = -Infinity;
  private readonly statusCodes = new Map<number, number>();
  private readonly pages = new TopCounter();
  private readonly articles = new TopCounter();
  private readonly referrers = new TopCounter();
  private readonly browsers = new Map<string, number>();
  private readonly os = new Map<string, number>();
  private readonly agents = new AgentCache();
  private bots = 0;
  private readonly latency = new LatencyHistogram();
  private readonly minutes = new Map<number, number>();

  constructor(private readonly period: Period = {}) {}

  addLine(line: string): void {
    this.lines += 1;
    const record = parseAccessLine(line);
    if (!record) {
      this.addBad(line);
      return;
    }
    const { since, until } = this.period;
    if ((since !== undefined && record.time < since) || (until !== undefined && record.time >= until)) {
      this.outsidePeriod += 1;
      return;
    }
    this.addRecord(record);
  }

  addBad(line: string): void {
    this.badLines += 1;
    if (this.badSamples.length < 5) this.badSamples.push(JSON.stringify(line.slice(0, 120)));
  }

  addRecord(r: AccessRecord): void {
    this.requests += 1;
    if (r.time < this.first) this.first = r.time;
    if (r.time > this.last) this.last = r.time;
    this.statusCodes.set(r.status, (this.statusCodes.get(r.status) ?? 0) + 1);
    this.pages.add(r.path);
    if (r.method === 'GET' && r.status < 400 && ARTICLE_PAGE.test(r.path)) this.articles.add(r.path);
    if (r.referrer !== '-' && r.referrer !== '') this.referrers.add(r.referrer);
    const agent = this.agents.classify(r.userAgent);
    if (agent.bot) this.bots += 1;
    else {
      this.browsers.set(agent.browser, (this.browsers.get(agent.browser) ?? 0) + 1);
      this.os.set(agent.os, (this.os.get(agent.os) ?? 0) + 1);
    }
    if (r.durationMs !== undefined) this.latency.add(r.durationMs);
    const minute = Math.floor(r.time / MINUTE) * MINUTE;
    this.minutes.set(minute, (this.minutes.get(minute) ?? 0) + 1);
  }

  summary(top = 10, files: LogSummary['files'] = []): LogSummary {
    const classes: Record<string, number> = {};
    const codes: Record<string, number> = {};
    for (const [code, n] of [...this.statusCodes].sort((a, b) => a[0] - b[0])) {
      codes[code] = n;
      const cls = `${Math.floor(code / 100)}xx`;
      classes[cls] = (classes[cls] ?? 0) + n;
    }
    const series = [...this.minutes].sort((a, b) => a[0] - b[0]).map(([t, n]): [string, number] => [new Date(t).toISOString().slice(0, 16), n]);
    const spanMinutes = this.requests ? Math.floor(this.last / MINUTE) - Math.floor(this.first / MINUTE) + 1 : 0;
    const h = this.latency;
    return {
      files,
      lines: this.lines,
      requests: this.requests,
      badLines: this.badLines,
      badSamples: this.badSamples,
      outsidePeriod: this.outsidePeriod,
      first: this.requests ? new Date(this.first).toISOString() : undefined,
      last: this.requests ? new Date(this.last).toISOString() : undefined,
      statusClasses: classes,
      statusCodes: codes,
      topPages: this.pages.top(top),
      topArticles: this.articles.top(top),
      topReferrers: this.referrers.top(top),
      browsers: rank(this.browsers),
      os: rank(this.os),
      bots: this.bots,
      people: this.requests - this.bots,
      latencyMs: h.count === 0 ? null : {
        count: h.count, p50: h.percentile(0.5)!, p95: h.percentile(0.95)!, p99: h.percentile(0.99)!, mean: h.sum / h.count, max: h.max,
      },
      perMinute: { peak: Math.max(0, ...this.minutes.values()), mean: spanMinutes ? this.requests / spanMinutes : 0, series },
      approximate: this.pages.approximate || this.referrers.approximate || this.articles.approximate,
    };
  }
}

function rank(counts: Map<string, number>): Ranked {
  return [...counts].sort((a, b) => b[1] - a[1] || (a[0] < b[0] ? -1 : 1));
}

/** Reads every file in turn (plain or .gz); a missing or corrupt file is reported, never fatal. */
export async function analyzeLogFiles(files: string[], period: Period = {}, top = 10): Promise<LogSummary> {
  const analysis = new LogAnalysis(period);
  const report: LogSummary['files'] = [];
  for (const file of files) {
    const result = await forEachLine(file, (line) => analysis.addLine(line));
    for (let i = 0; i < result.overlong; i++) analysis.addBad('(line longer than 64 KB)');
    analysis.lines += result.overlong;
    report.push({ file, lines: result.lines + result.overlong, ...(result.error ? { error: result.error } : {}) });
  }
  return analysis.summary(top, report);
}

/**
 * Every access log in dir — current and rotated, all workers — oldest first. With `since`,
 * rotated files last written before it are left out: they hold nothing that recent.
 */
export async function listAccessLogs(dir: string, since?: number): Promise<string[]> {
  const names = await fs.readdir(dir).catch(() => [] as string[]);
  const files: Array<{ file: string; mtime: number }> = [];
  for (const name of names.filter(isAccessLogName)) {
    const file = path.join(dir, name);
    const stat = await fs.stat(file).catch(() => undefined);
    if (!stat?.isFile()) continue;
    if (since !== undefined && name.endsWith('.gz') && stat.mtimeMs < since) continue;
    files.push({ file, mtime: stat.mtimeMs });
  }
  return files.sort((a, b) => a.mtime - b.mtime || (a.file < b.file ? -1 : 1)).map((f) => f.file);
}
