// A row and the bare-Koa baseline measured in alternating slices — baseline, row, baseline, row, …,
// baseline — with the same load generator, so both are sampled across the same seconds. This
// machine's speed drifts by half within a minute (2026-11-26: hello world at 14.5k req/s just before
// a row and 18.1k just after it), and a baseline measured only before and after a row can fall in
// a different phase from the row itself. Each row slice sits between two baseline slices; the
// row's baseline is the mean of all of them.
import { withAutocannon, withWrk, type CpuClock, type LatencyPoint, type LoadResult, type LoadSpec } from './load.js';

export interface Side {
  spec: LoadSpec;
  cpu: CpuClock;
}

export interface Slicing {
  connections: number;
  /** Warm-up of the row before its first slice (autocannon only: wrk follows autocannon on the same server). */
  warmupSeconds: number;
  /** How many row slices, and how long each is; there is one more baseline slice than row slices. */
  slices: number;
  sliceSeconds: number;
  baselineSliceSeconds: number;
}

export interface Paired {
  row: LoadResult;
  baseline: LoadResult;
}

/** The share of a slice's requests that took at most ms: linear between its points. */
function shareWithin(points: LatencyPoint[], ms: number): number {
  const first = points[0]!;
  if (ms < first.ms) return 0;
  let below = first;
  for (const point of points) {
    if (point.ms <= ms) {
      below = point;
      continue;
    }
    return (below.p + ((point.p - below.p) * (ms - below.ms)) / (point.ms - below.ms)) / 100;
  }
  return below.p / 100;
}

/**
 * The latency at quantile q (0–1) of all the slices' requests together: each slice's distribution,
 * linear between its points, weighted by its requests; the merged one is linear between the points
 * of all, so it is read off between the two around q.
 */
export function mergedPercentile(slices: { requests: number; latencyPoints: LatencyPoint[] }[], q: number): number {
  const total = slices.reduce((sum, s) => sum + s.requests, 0);
  const share = (ms: number) => slices.reduce((sum, s) => sum + s.requests * shareWithin(s.latencyPoints, ms), 0) / total;
  const xs = [...new Set(slices.flatMap((s) => s.latencyPoints.map((p) => p.ms)))].sort((a, b) => a - b);
  let lower = xs[0]!;
  for (const x of xs) {
    const at = share(x);
    if (at >= q) {
      const before = share(lower);
      return at === before ? x : lower + ((x - lower) * (q - before)) / (at - before);
    }
    lower = x;
  }
  return lower;
}

/**
 * One result from several slices of the same load: req/s and server CPU per request over all of
 * them, errors summed, p50 and p99 of all their requests together (from each slice's latency
 * points; without them, the median slice's p50 and the worst slice's p99).
 */
export function combine(slices: LoadResult[]): LoadResult {
  const first = slices[0];
  if (!first) throw new Error('combine: no slices');
  const requests = slices.reduce((sum, s) => sum + s.requests, 0);
  const serverCpuMs = slices.reduce((sum, s) => sum + (s.serverCpuUs * s.requests) / 1000, 0);
  const clients = slices.map((s) => s.clientCpu).filter((c): c is number => c !== undefined);
  const withPoints = slices.every((s) => (s.latencyPoints?.length ?? 0) >= 2 && s.requests > 0)
    ? slices as (LoadResult & { latencyPoints: LatencyPoint[] })[] : undefined;
  const p50s = slices.map((s) => s.p50).sort((a, b) => a - b);
  const round = (ms: number) => Math.round(ms * 100) / 100;
  return {
    tool: first.tool,
    // Slices of one generator have equal lengths, so the mean of their rates is the rate over all.
    rps: slices.reduce((sum, s) => sum + s.rps, 0) / slices.length,
    p50: withPoints ? round(mergedPercentile(withPoints, 0.5)) : p50s[Math.floor((p50s.length - 1) / 2)]!,
    p99: withPoints ? round(mergedPercentile(withPoints, 0.99)) : Math.max(...slices.map((s) => s.p99)),
    errors: slices.reduce((sum, s) => sum + s.errors, 0),
    requests,
    serverCpuUs: requests > 0 ? (serverCpuMs * 1000) / requests : NaN,
    ...(clients.length ? { clientCpu: clients.reduce((a, b) => a + b, 0) / clients.length } : {}),
  };
}

export async function paired(tool: 'autocannon' | 'wrk', row: Side, baseline: Side, slicing: Slicing): Promise<Paired> {
  const run = tool === 'autocannon' ? withAutocannon : withWrk;
  const slice = (side: Side, seconds: number) => run(side.spec, { connections: slicing.connections, seconds, warmupSeconds: 0 }, side.cpu);
  if (tool === 'autocannon' && slicing.warmupSeconds > 0) {
    await withAutocannon(row.spec, { connections: slicing.connections, seconds: slicing.warmupSeconds, warmupSeconds: 0 }, row.cpu);
  }
  const rowSlices: LoadResult[] = [];
  const baselineSlices = [await slice(baseline, slicing.baselineSliceSeconds)];
  for (let i = 0; i < slicing.slices; i++) {
    rowSlices.push(await slice(row, slicing.sliceSeconds));
    baselineSlices.push(await slice(baseline, slicing.baselineSliceSeconds));
  }
  return { row: combine(rowSlices), baseline: combine(baselineSlices) };
}
