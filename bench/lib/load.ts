// Load generators: autocannon (always) and wrk (when installed), both reduced to the same figures.
import autocannon from 'autocannon';
import { spawnSync } from 'node:child_process';
import { performance } from 'node:perf_hooks';
import { fileURLToPath } from 'node:url';
import { runCommand } from './processes.js';

export interface LoadResult {
  tool: 'autocannon' | 'wrk';
  rps: number;
  p50: number;
  p99: number;
  /** Socket errors, timeouts and non-2xx/3xx answers. */
  errors: number;
  requests: number;
  /** CPU the servers used per request answered, in µs (the Node processes only: not nginx, not the pm2 daemon; NaN if one exited). */
  serverCpuUs: number;
  /**
   * CPU the load generator used, as a share of one core (autocannon only: it runs in the bench's own
   * process). Near 1, the row measured the client more than the server: on this 2-core machine the
   * two share the cores, and autocannon decodes every response body into a string.
   */
  clientCpu?: number;
  /**
   * The latency distribution as points, from the fastest request (p 0) to the slowest (p 100), in ms:
   * enough to merge slices of one load into one distribution (bench/lib/paired.ts).
   */
  latencyPoints?: LatencyPoint[];
}

export interface LatencyPoint {
  /** Percentile, 0–100. */
  p: number;
  ms: number;
}

export interface LoadSpec {
  /** Base URL, e.g. http://127.0.0.1:3000 */
  origin: string;
  /** Used by wrk (one address); autocannon uses requests when given. */
  path: string;
  headers?: Record<string, string>;
  /** autocannon request list, for rotating addresses and writes. */
  requests?: autocannon.Request[];
}

export interface LoadOptions {
  connections: number;
  seconds: number;
  warmupSeconds: number;
}

/** CPU milliseconds the servers under load have used so far, read just before and after the measured run. */
export type CpuClock = () => number;

const perRequestUs = (cpuMs: number, requests: number) => (requests > 0 ? (cpuMs * 1000) / requests : NaN);

export const wrkInstalled = spawnSync('wrk', ['--version']).error === undefined;

function runAutocannon(spec: LoadSpec, connections: number, seconds: number): Promise<autocannon.Result> {
  return new Promise((resolve, reject) => {
    autocannon({
      url: `${spec.origin}${spec.path}`,
      connections,
      duration: seconds,
      headers: spec.headers,
      requests: spec.requests,
      timeout: 10,
    }, (err, result) => (err ? reject(err) : resolve(result)));
  });
}

/** autocannon's percentile keys (p2_5 is the 2.5th), with its min and max as the 0th and 100th. */
function autocannonPoints(latency: autocannon.Histogram): LatencyPoint[] {
  const points = [{ p: 0, ms: latency.min }];
  for (const [key, ms] of Object.entries(latency)) {
    const match = /^p(\d+(?:_\d+)?)$/.exec(key);
    if (match && typeof ms === 'number') points.push({ p: Number(match[1]!.replace('_', '.')), ms });
  }
  points.push({ p: 100, ms: latency.max });
  return points.sort((a, b) => a.p - b.p);
}

export async function withAutocannon(spec: LoadSpec, opts: LoadOptions, serverCpu: CpuClock): Promise<LoadResult> {
  if (opts.warmupSeconds > 0) await runAutocannon(spec, opts.connections, opts.warmupSeconds);
  const server0 = serverCpu();
  const client0 = process.cpuUsage();
  const t0 = performance.now();
  const r = await runAutocannon(spec, opts.connections, opts.seconds);
  const client = process.cpuUsage(client0);
  const wallMs = performance.now() - t0;
  return {
    tool: 'autocannon',
    rps: r.requests.average,
    p50: r.latency.p50,
    p99: r.latency.p99,
    errors: r.errors + r.timeouts + r.non2xx,
    requests: r.requests.total,
    serverCpuUs: perRequestUs(serverCpu() - server0, r.requests.total),
    clientCpu: (client.user + client.system) / 1000 / wallMs,
    latencyPoints: autocannonPoints(r.latency),
  };
}

/** "1.23ms" / "850.00us" / "1.02s" → milliseconds. */
function millis(text: string): number {
  const match = /^([\d.]+)(us|ms|s)$/.exec(text.trim());
  if (!match) return NaN;
  const n = Number(match[1]);
  return match[2] === 'us' ? n / 1000 : match[2] === 's' ? n * 1000 : n;
}

/** Prints wrk's latency distribution past its --latency table (see the script). */
const LATENCY_SCRIPT = fileURLToPath(new URL('./latency.lua', import.meta.url));

/** wrk, one thread per core left to it, after the autocannon run warmed the server. */
export async function withWrk(spec: LoadSpec, opts: LoadOptions, serverCpu: CpuClock): Promise<LoadResult> {
  const headerArgs = Object.entries(spec.headers ?? {}).flatMap(([k, v]) => ['-H', `${k}: ${v}`]);
  const server0 = serverCpu();
  const { stdout } = await runCommand('wrk', ['-t1', `-c${opts.connections}`, `-d${opts.seconds}s`, '--latency', '-s', LATENCY_SCRIPT, ...headerArgs, `${spec.origin}${spec.path}`], { quiet: true });
  const number = (re: RegExp) => Number(re.exec(stdout)?.[1] ?? 0);
  const socket = /Socket errors: connect (\d+), read (\d+), write (\d+), timeout (\d+)/.exec(stdout);
  const socketErrors = socket ? socket.slice(1).reduce((a, b) => a + Number(b), 0) : 0;
  const requests = number(/(\d+) requests in/);
  return {
    tool: 'wrk',
    rps: number(/Requests\/sec:\s+([\d.]+)/),
    p50: millis(/\s50%\s+(\S+)/.exec(stdout)?.[1] ?? ''),
    p99: millis(/\s99%\s+(\S+)/.exec(stdout)?.[1] ?? ''),
    errors: number(/Non-2xx or 3xx responses: (\d+)/) + socketErrors,
    requests,
    serverCpuUs: perRequestUs(serverCpu() - server0, requests),
    latencyPoints: [...stdout.matchAll(/^percentile ([\d.]+) (\d+)$/gm)].map((m) => ({ p: Number(m[1]), ms: Number(m[2]) / 1000 })),
  };
}
