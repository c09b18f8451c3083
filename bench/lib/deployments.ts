// What the bench measures: Quire in one process, in a pm2 cluster of two (its own PM2_HOME, killed at
// the end) and in that cluster behind nginx (configured by `quire nginx`); and the bare Koa servers
// it is compared with (bench/baseline.ts).
import fs from 'node:fs';
import path from 'node:path';
import { freePort, onCleanup, rssOf, runCommand, startReady, waitForHttp } from './processes.js';
import { spawn } from 'node:child_process';
import http from 'node:http';
import { createRequire } from 'node:module';
import type { LoadSpec } from './load.js';

/** The node flags and environment a production worker starts with (deploy/runtime.cjs). */
export const runtime = createRequire(import.meta.url)('../../deploy/runtime.cjs') as { nodeArgs: string[]; env: Record<string, string> };

export interface Deployment {
  name: string;
  origin: string;
  /** The Node processes that serve requests (not nginx, not the pm2 daemon). */
  pids: number[];
  /** RSS of each worker one second after it became ready, before any request, in bytes. */
  idleRss: number[];
  bootMs?: number;
  bootCpuMs?: number;
  stop(): Promise<void>;
}

export interface DeployContext {
  root: string;
  tmp: string;
  env: NodeJS.ProcessEnv;
}

const settle = () => new Promise((r) => setTimeout(r, 1000));

/**
 * RSS of each worker one second after a few requests (one /healthz per worker, and as many again):
 * a worker that has answered sits a few MB above one that has not, mostly pages of the node binary
 * its first request runs for the first time (shared with every other Node process).
 */
export async function rssAfterRequests(deployment: Deployment): Promise<number[]> {
  for (let i = 0; i < 2 * deployment.pids.length; i++) await waitForHttp(`${deployment.origin}/healthz`);
  await settle();
  return deployment.pids.map(rssOf);
}

export async function singleProcess(ctx: DeployContext, name: string, extraEnv: NodeJS.ProcessEnv = {}): Promise<Deployment> {
  const port = await freePort();
  // Started as pm2 starts a worker: the same V8 flags (ctx.env already holds runtime.env).
  const server = await startReady([...runtime.nodeArgs, path.join(ctx.root, 'dist/bin/www.js')], { ...ctx.env, ...extraEnv, PORT: String(port) });
  await settle();
  const pid = server.child.pid!;
  return { name, origin: `http://127.0.0.1:${port}`, pids: [pid], idleRss: [rssOf(pid)], bootMs: server.bootMs, bootCpuMs: server.bootCpuMs, stop: server.stop };
}

/** A bare Koa server (bench/baseline.ts): "hello world", or with replayFile, Quire's captured responses. */
async function bareKoa(ctx: DeployContext, name: string, replayFile?: string): Promise<Deployment> {
  const port = await freePort();
  const env = { ...process.env, PORT: String(port), ...(replayFile ? { REPLAY_FILE: replayFile } : {}) };
  const server = await startReady(['--import', 'tsx', path.join(ctx.root, 'bench/baseline.ts')], env);
  await settle();
  const pid = server.child.pid!;
  return { name, origin: `http://127.0.0.1:${port}`, pids: [pid], idleRss: [rssOf(pid)], stop: server.stop };
}

export const baseline = (ctx: DeployContext) => bareKoa(ctx, 'baseline (bare Koa)');
export const REPLAY = 'bare Koa replaying its responses';

/** Headers that belong to one connection or one response, not to the page: the replay's own server sets them. */
const perResponse = new Set(['date', 'connection', 'keep-alive', 'content-length', 'transfer-encoding']);

/** One raw response, as the client got it: nothing decompressed. */
function capture(url: string, headers: Record<string, string> = {}): Promise<{ status: number; headers: Record<string, string | string[]>; body: string }> {
  return new Promise((resolve, reject) => {
    http.get(url, { headers }, (res) => {
      const chunks: Buffer[] = [];
      res.on('data', (chunk: Buffer) => chunks.push(chunk));
      res.on('end', () => resolve({
        status: res.statusCode ?? 0,
        headers: Object.fromEntries(Object.entries(res.headers).filter((e): e is [string, string | string[]] => e[1] !== undefined && !perResponse.has(e[0]))),
        body: Buffer.concat(chunks).toString('base64'),
      }));
      res.on('error', reject);
    }).on('error', reject);
  });
}

/**
 * Bare Koa answering every address of a scenario with the responses `from` gave just now (the same
 * status, headers and bytes, compressed as they were), from memory: the most any server could be
 * measured at for those responses, on this machine, with the same load generator.
 */
export async function replay(ctx: DeployContext, from: LoadSpec): Promise<Deployment> {
  const paths = [...new Set(from.requests?.map((r) => r.path ?? from.path) ?? [from.path])];
  const responses = [];
  for (const p of paths) responses.push({ path: p, ...(await capture(`${from.origin}${p}`, from.headers)) });
  const file = path.join(ctx.tmp, `replay-${process.hrtime.bigint()}.json`);
  fs.writeFileSync(file, JSON.stringify(responses));
  const server = await bareKoa(ctx, REPLAY, file);
  return { ...server, stop: async () => { await server.stop(); fs.rmSync(file, { force: true }); } };
}

export async function pm2Cluster(ctx: DeployContext, workers = 2): Promise<Deployment> {
  const port = await freePort();
  const pm2Home = path.join(ctx.tmp, 'pm2');
  fs.mkdirSync(pm2Home, { recursive: true });
  const env = { ...ctx.env, PM2_HOME: pm2Home, PORT: String(port), QUIRE_WORKERS: String(workers), QUIRE_PM2_NAME: 'quire-bench' };
  const pm2 = (args: string[]) => runCommand(process.execPath, [path.join(ctx.root, 'node_modules/pm2/bin/pm2'), ...args], { env, quiet: true });
  onCleanup(async () => { await pm2(['kill']).catch(() => undefined); });
  // With wait_ready, `pm2 start` returns once every worker has said it is ready.
  await pm2(['start', path.join(ctx.root, 'deploy/ecosystem.config.cjs'), '--env', 'production']);
  const origin = `http://127.0.0.1:${port}`;
  const list = JSON.parse((await pm2(['jlist'])).stdout) as { pid: number; pm2_env: { status: string } }[];
  const pids = list.filter((p) => p.pm2_env.status === 'online' && p.pid > 0).map((p) => p.pid);
  await settle();
  const idleRss = pids.map(rssOf); // before any request, as for the lone process
  await waitForHttp(`${origin}/healthz`);
  return {
    name: `pm2 cluster of ${workers}`,
    origin,
    pids,
    idleRss,
    stop: async () => { await pm2(['kill']).catch(() => undefined); },
  };
}

export async function behindNginx(ctx: DeployContext, upstream: Deployment): Promise<Deployment> {
  const port = await freePort();
  const prefix = path.join(ctx.tmp, 'nginx');
  fs.mkdirSync(path.join(prefix, 'logs'), { recursive: true });
  fs.mkdirSync(path.join(prefix, 'temp'), { recursive: true });
  const conf = path.join(prefix, 'nginx.conf');
  const upstreamAddress = new URL(upstream.origin).host;
  await runCommand(process.execPath, [path.join(ctx.root, 'dist/cli/quire.js'), 'nginx', '--server', upstreamAddress,
    '--listen', `127.0.0.1:${port}`, '--prefix', prefix, '--out', conf, '--worker-processes', '1',
    '--public', path.join(ctx.root, 'public')], { env: ctx.env });
  const nginx = spawn('nginx', ['-p', prefix, '-c', conf, '-g', 'daemon off;'], { stdio: ['ignore', 'ignore', 'inherit'] });
  const exited = new Promise<void>((resolve) => nginx.once('exit', () => resolve()));
  const stop = async () => {
    if (nginx.exitCode === null) nginx.kill('SIGTERM');
    await Promise.race([exited, new Promise((r) => setTimeout(r, 3000))]);
  };
  onCleanup(stop);
  const origin = `http://127.0.0.1:${port}`;
  await waitForHttp(`${origin}/healthz`, 10_000);
  return { ...upstream, name: `${upstream.name} behind nginx`, origin, stop };
}
