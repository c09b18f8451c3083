// The speed issue's targets, checked against one run's figures, so a run says by itself whether it
// met them and a reader does not have to pick rows out of the table.
import { REPLAY } from './deployments.js';
import { isBaseline, megabytes, type Row } from './report.js';

export interface Target {
  target: string;
  /** undefined: not measured in this run (a quick run leaves rows out). */
  met: boolean | undefined;
  /** The figures it was judged on. */
  detail: string;
}

export interface RunFacts {
  rows: Row[];
  bootMedianMs: number;
  /** Bytes, one second after ready and before any request (judged), and one second after a few requests (shown). */
  idle: { single: number; cluster: number[]; singleAfterRequests?: number; clusterAfterRequests: number[] };
}

/** autocannon running at this share of a core or more measures itself as much as the server. */
export const CLIENT_BOUND = 0.9;
/** …and a Quire row within this fraction of bare Koa replaying its responses is at that ceiling. */
const AT_CEILING = 0.9;

const CACHED_PAGES = ['home page', 'article page', 'API list'];
const SINGLE = 'one process';
const UNCACHED = 'one process, CACHE=off';

const mb = (bytes: number) => `${megabytes(bytes)} MB`;
const ratio = (r: Row) => `${r.ratio.toFixed(3)}×`;

/**
 * A reading is judged on its ratio, its p99 and its errors. Two misses are excused, each against the
 * replay (bare Koa answering the same responses from memory, with the same tool, just after):
 * - the ratio, for autocannon only, when autocannon was the bottleneck: at ≥ 90% of a core, and
 *   Quire within 10% of the replay's req/s. wrk's ratio is never excused.
 * - p99 of 25 ms or more, when the replay's was as high: on two cores shared by the server and the
 *   load generator, the tail is set by how the two are scheduled (bare Koa's "hello world" measured
 *   p99 over 25 ms in 8 of 35 wrk slices of the run of 2026-11-27 03:34), and a server that adds
 *   no tail of its own cannot do better than bare Koa sending the same bytes.
 */
function cachedReading(r: Row, rows: Row[]): { ok: boolean; text: string } {
  const ceiling = rows.find((x) => x.deployment === REPLAY && x.scenario === r.scenario && x.tool === r.tool);
  const notes: string[] = [];
  let ok = r.errors === 0;
  if (r.p99 >= 25) {
    if (ceiling && r.p99 <= ceiling.p99) notes.push(`p99 no higher than bare Koa replaying the same responses: ${ceiling.p99} ms`);
    else ok = false;
  }
  if (r.ratio < 0.5) {
    if (r.tool === 'autocannon' && ceiling && (r.clientCpu ?? 0) >= CLIENT_BOUND && r.rps >= AT_CEILING * ceiling.rps) {
      notes.push(`client-bound: autocannon at ${((r.clientCpu ?? 0) * 100).toFixed(0)}% of a core; bare Koa replaying the same responses ${ratio(ceiling)}`);
    } else ok = false;
  }
  const text = `${r.tool} ${ratio(r)}, p99 ${r.p99} ms, ${r.errors} errors${notes.length ? ` (${notes.join('; ')})` : ''}`;
  return { ok, text };
}

export function checkTargets(run: RunFacts): Target[] {
  const targets: Target[] = [];
  const rowsOf = (deployment: string, scenario: string) => run.rows.filter((r) => r.deployment === deployment && r.scenario === scenario);

  for (const page of CACHED_PAGES) {
    const readings = rowsOf(SINGLE, page).map((r) => cachedReading(r, run.rows));
    targets.push({
      target: `${page}, one process: ≥ 0.5 × baseline, p99 < 25 ms, 0 errors`,
      met: readings.length > 0 ? readings.every((x) => x.ok) : undefined,
      detail: readings.map((x) => x.text).join('; ') || 'not measured',
    });
  }
  for (const page of CACHED_PAGES) {
    const readings = rowsOf(UNCACHED, page);
    targets.push({
      target: `${page}, CACHE=off: ≥ 0.05 × baseline`,
      met: readings.length > 0 ? readings.every((r) => r.ratio >= 0.05) : undefined,
      detail: readings.map((r) => `${r.tool} ${ratio(r)} (${Math.round(r.rps)} req/s)`).join('; ') || 'not measured',
    });
  }
  const { idle } = run;
  const judged = [idle.single, ...idle.cluster];
  const after = [idle.singleAfterRequests, ...idle.clusterAfterRequests].filter((b): b is number => b !== undefined);
  targets.push({
    target: 'idle RSS of a worker < 80 MB (1 s after ready)',
    met: judged.every((b) => b > 0 && b < 80 * 1048576),
    detail: `one process ${mb(idle.single)}; pm2 workers ${idle.cluster.map(mb).join(', ') || 'not measured'}` +
      (after.length ? ` (1 s after a few requests: ${after.map(mb).join(', ')})` : ''),
  });
  const quire = run.rows.filter((r) => !isBaseline(r) && r.deployment !== REPLAY);
  const peak = Math.max(0, ...quire.map((r) => r.peakRss));
  targets.push({ target: 'peak RSS of a worker under load < 150 MB', met: peak > 0 && peak < 150 * 1048576, detail: `highest ${mb(peak)}, over ${quire.length} rows` });
  targets.push({ target: 'boot to ready < 1.5 s', met: run.bootMedianMs < 1500, detail: `median ${run.bootMedianMs.toFixed(0)} ms` });
  return targets;
}

export function targetsMarkdown(targets: Target[]): string {
  return [
    '| target | met | figures |',
    '|---|---|---|',
    ...targets.map((t) => `| ${t.target} | ${t.met === undefined ? '–' : t.met ? 'yes' : '**no**'} | ${t.detail} |`),
    '',
    'Freshness (a write through one worker is read through another at once) is checked by `test/cache/freshness.test.ts`, not here.',
  ].join('\n');
}
