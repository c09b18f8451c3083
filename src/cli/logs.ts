// `quire logs [files…] [--since T] [--until T] [--json] [--top N]`: analyses access logs, plain
// or .gz, of any size, in one streaming pass. Without files it reads every access log in LOG_DIR.
import { parseArgs } from 'node:util';
import { loadConfig } from '../config.js';
import { analyzeLogFiles, listAccessLogs, type LogSummary, type Ranked } from '../stats/log-analysis.js';
import { parseMoment } from '../stats/period.js';

export async function run(argv: string[]): Promise<void> {
  const { positionals, values } = parseArgs({
    args: argv,
    allowPositionals: true,
    options: {
      since: { type: 'string' },
      until: { type: 'string' },
      json: { type: 'boolean' },
      top: { type: 'string', default: '10' },
    },
  });
  const since = values.since === undefined ? undefined : parseMoment(values.since);
  const until = values.until === undefined ? undefined : parseMoment(values.until);
  const top = Number(values.top);
  if (!Number.isInteger(top) || top < 1) throw new Error('--top must be a positive whole number');
  const files = positionals.length > 0 ? positionals : await listAccessLogs(loadConfig().LOG_DIR, since);
  if (files.length === 0) throw new Error('no access logs found (name files, or set LOG_DIR)');

  const summary = await analyzeLogFiles(files, { since, until }, top);
  for (const f of summary.files) if (f.error) process.stderr.write(`quire logs: ${f.file}: ${f.error}\n`);
  process.stdout.write(values.json ? `${JSON.stringify(summary, null, 2)}\n` : formatSummary(summary));
  if (summary.files.some((f) => f.error === 'no such file')) process.exitCode = 1;
}

const pct = (n: number, total: number) => (total ? `${((100 * n) / total).toFixed(1)}%` : '-');
const ms = (n: number) => `${n.toFixed(1)} ms`;

function table(title: string, rows: Ranked, total: number): string[] {
  if (rows.length === 0) return [`${title}: none`];
  const width = Math.min(60, Math.max(...rows.map(([k]) => k.length)));
  const cut = (k: string) => (k.length > width ? `${k.slice(0, width - 1)}…` : k);
  return [`${title}:`, ...rows.map(([k, n]) => `  ${cut(k).padEnd(width)}  ${String(n).padStart(9)}  ${pct(n, total).padStart(6)}`)];
}

export function formatSummary(s: LogSummary): string {
  const people = s.people;
  const out = [
    `files:           ${s.files.length} (${s.lines} lines)`,
    `requests:        ${s.requests}${s.first ? `  from ${s.first} to ${s.last}` : ''}`,
    `bad lines:       ${s.badLines} skipped${s.outsidePeriod ? `; ${s.outsidePeriod} outside the period` : ''}`,
    `bots / people:   ${s.bots} (${pct(s.bots, s.requests)}) / ${people} (${pct(people, s.requests)})`,
    s.latencyMs
      ? `latency:         p50 ${ms(s.latencyMs.p50)}  p95 ${ms(s.latencyMs.p95)}  p99 ${ms(s.latencyMs.p99)}  mean ${ms(s.latencyMs.mean)}  max ${ms(s.latencyMs.max)}`
      : 'latency:         not in these logs',
    `requests/minute: peak ${s.perMinute.peak}, mean ${s.perMinute.mean.toFixed(1)}`,
    '',
    ...table('status', Object.entries(s.statusClasses), s.requests),
    ...table('status codes', Object.entries(s.statusCodes), s.requests),
    '',
    ...table('top pages', s.topPages, s.requests),
    '',
    ...table('top referrers', s.topReferrers, s.requests),
    '',
    ...table('browsers (people)', s.browsers, people),
    '',
    ...table('operating systems (people)', s.os, people),
  ];
  if (s.approximate) out.push('', 'note: more distinct pages or referrers than counters hold; rare ones were dropped, top counts may be slightly low');
  return `${out.join('\n')}\n`;
}
