// Starting, watching and stopping the servers under test: free ports, readiness, peak RSS from
// /proc, and a registry so every process the bench started is stopped, whatever happens.
import { spawn, type ChildProcess } from 'node:child_process';
import fs from 'node:fs';
import net from 'node:net';
import { performance } from 'node:perf_hooks';

const started = new Set<ChildProcess>();
const cleanups: (() => Promise<void> | void)[] = [];

export function onCleanup(fn: () => Promise<void> | void): void {
  cleanups.push(fn);
}

export async function stopEverything(): Promise<void> {
  for (const child of started) child.kill('SIGTERM');
  for (const fn of cleanups.splice(0).reverse()) await Promise.resolve(fn()).catch(() => undefined);
}

export function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = net.createServer();
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const { port } = server.address() as net.AddressInfo;
      server.close(() => resolve(port));
    });
  });
}

export interface Started {
  child: ChildProcess;
  /** Milliseconds from spawn to the process's "ready" message. */
  bootMs: number;
  /** CPU time (user + system) the process used to get ready: steadier than bootMs on a busy machine. */
  bootCpuMs: number;
  stop(): Promise<void>;
}

/** Spawns a node process that says process.send('ready') when it can serve. */
export function startReady(args: string[], env: NodeJS.ProcessEnv, timeoutMs = 30_000): Promise<Started> {
  const t0 = performance.now();
  const child = spawn(process.execPath, args, { env, stdio: ['ignore', 'ignore', 'inherit', 'ipc'] });
  started.add(child);
  const exited = new Promise<void>((resolve) => child.once('exit', () => { started.delete(child); resolve(); }));
  const stop = async () => {
    if (child.exitCode === null && child.signalCode === null) child.kill('SIGTERM');
    await Promise.race([exited, new Promise((r) => setTimeout(r, 5000))]);
    if (child.exitCode === null && child.signalCode === null) child.kill('SIGKILL');
  };
  return new Promise((resolve, reject) => {
    const timer = setTimeout(() => { void stop(); reject(new Error(`${args.join(' ')}: not ready after ${timeoutMs} ms`)); }, timeoutMs);
    child.on('message', (msg) => {
      if (msg !== 'ready') return;
      clearTimeout(timer);
      resolve({ child, bootMs: performance.now() - t0, bootCpuMs: cpuMsOf(child.pid!), stop });
    });
    child.once('exit', (code) => { clearTimeout(timer); reject(new Error(`${args.join(' ')} exited with ${code} before ready`)); });
  });
}

/** Runs a command to completion; rejects on a non-zero exit unless allowed. */
export function runCommand(cmd: string, args: string[], opts: { env?: NodeJS.ProcessEnv; quiet?: boolean; allowFail?: boolean } = {}): Promise<{ code: number; stdout: string }> {
  return new Promise((resolve, reject) => {
    const child = spawn(cmd, args, { env: opts.env ?? process.env, stdio: ['ignore', 'pipe', opts.quiet ? 'pipe' : 'inherit'] });
    let stdout = '';
    child.stdout?.on('data', (d: Buffer) => { stdout += d.toString(); });
    child.stderr?.on('data', () => undefined);
    child.once('exit', (code) => {
      if (code !== 0 && !opts.allowFail) reject(new Error(`${cmd} ${args.join(' ')} exited with ${code}`));
      else resolve({ code: code ?? 1, stdout });
    });
  });
}

export async function waitForHttp(url: string, timeoutMs = 30_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    try {
      const res = await fetch(url);
      await res.arrayBuffer();
      if (res.ok) return;
    } catch { /* not up yet */ }
    if (Date.now() > deadline) throw new Error(`${url} did not answer within ${timeoutMs} ms`);
    await new Promise((r) => setTimeout(r, 100));
  }
}

/** CPU time a process has used so far (user + system), in ms, from /proc/<pid>/stat (clock ticks of 10 ms). */
export function cpuMsOf(pid: number): number {
  try {
    const fields = fs.readFileSync(`/proc/${pid}/stat`, 'utf8').replace(/^.*\) /, '').split(' ');
    return (Number(fields[11]) + Number(fields[12])) * 10;
  } catch {
    return NaN;
  }
}

/** Resident memory of a process in bytes, from /proc (0 when it is gone). */
export function rssOf(pid: number): number {
  try {
    const match = /VmRSS:\s+(\d+) kB/.exec(fs.readFileSync(`/proc/${pid}/status`, 'utf8'));
    return match ? Number(match[1]) * 1024 : 0;
  } catch {
    return 0;
  }
}

/** Samples the RSS of pids every 200 ms until stopped; returns the peak of any one process and of their sum. */
export function sampleRss(pids: number[]): { stop(): { peakEach: number; peakTotal: number } } {
  let peakEach = 0;
  let peakTotal = 0;
  const sample = () => {
    const each = pids.map(rssOf);
    peakEach = Math.max(peakEach, ...each);
    peakTotal = Math.max(peakTotal, each.reduce((a, b) => a + b, 0));
  };
  sample();
  const timer = setInterval(sample, 200);
  return { stop: () => { clearInterval(timer); sample(); return { peakEach, peakTotal }; } };
}
