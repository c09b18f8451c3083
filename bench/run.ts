// `npm run bench [-- --quick]`: builds, seeds (or reuses) a SQLite site under bench/.data, then
// loads Quire — one process, with and without the cache, a pm2 cluster of two, that cluster behind
// nginx, and one process on MariaDB without the cache — with a bare Koa baseline measured in
// alternation with every row, and writes bench/results/<date>.{json,md,svg}, with the issue's targets checked.
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';
import { baseline, behindNginx, pm2Cluster, replay, rssAfterRequests, runtime, singleProcess, type DeployContext, type Deployment } from './lib/deployments.js';
import { withAutocannon, wrkInstalled, type LoadOptions, type LoadResult, type LoadSpec } from './lib/load.js';
import { paired, type Paired, type Side, type Slicing } from './lib/paired.js';
import { cpuMsOf, onCleanup, rssOf, runCommand, sampleRss, stopEverything } from './lib/processes.js';
import { fixed, isBaseline, markdownTable, megabytes, svgChart, type Row, type Skipped } from './lib/report.js';
import { BROWSER, scenarios, type Scenario, type ScenarioName } from './lib/scenarios.js';
import { seededCopy, seededMysql, siteFacts, type SeedSize } from './lib/site.js';
import { checkTargets, targetsMarkdown } from './lib/targets.js';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const { values: args } = parseArgs({
  options: {
    quick: { type: 'boolean' },
    seconds: { type: 'string' },
    warmup: { type: 'string' },
    connections: { type: 'string' },
    'no-build': { type: 'boolean' },
    'no-wrk': { type: 'boolean' },
    'no-mysql': { type: 'boolean' },
  },
});
const quick = args.quick ?? false;
const load: LoadOptions = {
  connections: Number(args.connections ?? 50),
  seconds: Number(args.seconds ?? (quick ? 2 : 8)),
  warmupSeconds: Number(args.warmup ?? (quick ? 1 : 3)),
};
const useWrk = wrkInstalled && !args['no-wrk'] && !quick;
const size: SeedSize = quick ? { users: 20, articles: 300, comments: 1000, seed: 1 } : { users: 100, articles: 10_000, comments: 50_000, seed: 1 };

const everyRead: ScenarioName[] = ['home page', 'article page', 'tag page', 'API list', 'API article', 'signed-in feed', 'write mix'];
// The MariaDB rows: the production database, uncached, reads only (its copy is not restored between rows).
const mysqlReads: ScenarioName[] = ['home page', 'article page', 'tag page', 'API list', 'API article'];
const MYSQL_ADMIN_URL = process.env.BENCH_MYSQL_URL ?? 'mysql://root@127.0.0.1:3306/test';

const plan: { deployment: 'single' | 'single-nocache' | 'cluster' | 'nginx' | 'mysql-nocache'; scenarios: ScenarioName[] }[] = quick
  ? [
    { deployment: 'single', scenarios: ['home page', 'article page', 'API list', 'API article', 'signed-in feed', 'write mix'] },
    { deployment: 'single-nocache', scenarios: ['home page', 'API list'] },
    { deployment: 'cluster', scenarios: ['home page', 'API list'] },
    { deployment: 'nginx', scenarios: ['home page', 'API list'] },
    ...(args['no-mysql'] ? [] : [{ deployment: 'mysql-nocache' as const, scenarios: ['home page', 'API list'] as ScenarioName[] }]),
  ]
  : [
    { deployment: 'single', scenarios: ['home page', 'home page, no gzip', ...everyRead.slice(1)] },
    { deployment: 'single-nocache', scenarios: ['home page', 'home page, no gzip', 'article page', 'tag page', 'API list', 'API article'] },
    { deployment: 'cluster', scenarios: everyRead },
    { deployment: 'nginx', scenarios: everyRead },
    ...(args['no-mysql'] ? [] : [{ deployment: 'mysql-nocache' as const, scenarios: mysqlReads }]),
  ];

// Cached reads of the lone process that are also replayed by bare Koa, byte for byte: their ceiling
// (not in a quick run, which must stay under two minutes).
const replayed = new Set<ScenarioName>(quick ? [] : ['home page', 'article page', 'tag page', 'API list', 'API article']);

const deploymentNames = { single: 'one process', 'single-nocache': 'one process, CACHE=off', cluster: 'pm2 cluster of 2', nginx: 'pm2 cluster of 2 behind nginx', 'mysql-nocache': 'one process, MariaDB, CACHE=off' } as const;

const mb = (bytes: number[] | undefined) => `${(bytes ?? []).map(megabytes).join(', ') || '–'} MB`;
const median = (xs: number[]) => xs[Math.floor(xs.length / 2)]!;
const log = (line: string) => process.stderr.write(`bench: ${line}\n`);
/** CPU ms used so far by a deployment's Node processes (from /proc, in 10 ms ticks). */
const cpuOf = (deployment: Deployment) => () => deployment.pids.reduce((sum, pid) => sum + cpuMsOf(pid), 0);
const cpuNote = (r: LoadResult) => `, ${fixed(r.serverCpuUs, 0)} µs server CPU per request${r.clientCpu === undefined ? '' : `, client CPU ${(r.clientCpu * 100).toFixed(0)}%`}`;

/** The baseline's one address, as paired() loads it. */
const helloOf = (koa: Deployment): Side => ({ spec: { origin: koa.origin, path: '/', headers: BROWSER }, cpu: cpuOf(koa) });

/** Row slices and baseline slices (bench/lib/paired.ts): autocannon 4 × 2 s, wrk 3 × 2 s; a quick run one slice, between two baseline seconds. */
const sliceSeconds = quick ? load.seconds : Math.max(1, Math.round(load.seconds / 4));
const sliceBase = { connections: load.connections, warmupSeconds: load.warmupSeconds, sliceSeconds, baselineSliceSeconds: quick ? 1 : sliceSeconds };
const slicing: Record<'autocannon' | 'wrk', Slicing> = { autocannon: { ...sliceBase, slices: quick ? 1 : 4 }, wrk: { ...sliceBase, slices: quick ? 1 : 3 } };

/**
 * Loads one scenario with autocannon (and wrk), each in slices alternating with the bare Koa
 * baseline; returns the rows, then the baseline's measurements beside them.
 */
async function measure(deployment: Deployment, scenario: Scenario, spec: LoadSpec, koa: Deployment): Promise<Row[]> {
  const rss = sampleRss(deployment.pids);
  const hello = helloOf(koa);
  const tools: ('autocannon' | 'wrk')[] = useWrk && scenario.wrk ? ['autocannon', 'wrk'] : ['autocannon'];
  const results: Paired[] = [];
  for (const tool of tools) results.push(await paired(tool, { spec, cpu: cpuOf(deployment) }, hello, slicing[tool]));
  const peak = rss.stop();
  const rows = results.map(({ row, baseline }): Row => ({
    ...row, deployment: deployment.name, scenario: scenario.name, baselineRps: baseline.rps, ratio: row.rps / baseline.rps, peakRss: peak.peakEach, peakRssTotal: peak.peakTotal,
  }));
  rows.forEach(logRow);
  return [
    ...rows,
    ...results.map(({ baseline }): Row => ({ ...baseline, deployment: koa.name, scenario: `hello world, with ${deployment.name} · ${scenario.name}`, baselineRps: baseline.rps, ratio: 1, peakRss: 0, peakRssTotal: 0 })),
  ];
}

const logRow = (row: Row) => log(`${row.deployment} · ${row.scenario} · ${row.tool}: ${Math.round(row.rps)} req/s (${fixed(row.ratio, 3)}× the baseline measured with it: ${Math.round(row.baselineRps)}), p50 ${row.p50} ms, p99 ${row.p99} ms, ${row.errors} errors, peak RSS ${megabytes(row.peakRss)} MB${cpuNote(row)}`);

async function main() {
  const started = new Date();
  const loadBefore = os.loadavg();
  if (!args['no-build']) {
    log('building (npm run build)');
    const build = await runCommand('npm', ['run', 'build'], { quiet: true, allowFail: true });
    if (build.code !== 0) {
      if (!fs.existsSync(path.join(root, 'dist/bin/www.js'))) throw new Error('npm run build failed and there is no dist/ to measure');
      log('WARNING: npm run build reported errors; measuring the JavaScript it emitted anyway');
    }
  }
  const tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'quire-bench-'));
  onCleanup(() => fs.rmSync(tmp, { recursive: true, force: true }));
  const env: NodeJS.ProcessEnv = {
    ...process.env,
    NODE_ENV: 'production',
    HOST: '127.0.0.1',
    QUIRE_SECRET: 'bench-secret-bench-secret-bench-secret-0123',
    DATA_DIR: path.join(tmp, 'data'),
    LOG_DIR: path.join(tmp, 'logs'),
    LOG_LEVEL: 'warn',
    // The write mix measures write throughput from a few accounts at 50 connections, not the write limits' 429s.
    WRITE_LIMIT_PER_ACCOUNT: '1000000',
    WRITE_LIMIT_PER_ADDRESS: '1000000',
    // Production's malloc setting, in the environment every server (and the pm2 daemon) starts with.
    ...runtime.env,
  };
  for (const name of ['REDIS_URL', 'CACHE', 'PORT', 'SERVER_TIMING', 'INSTANCE_NAME']) delete env[name];

  log(`seeding ${size.users} users, ${size.articles} articles, ${size.comments} comments (reused when already seeded)`);
  const seeded = await seededCopy(root, path.join(root, 'bench/.data'), size, env);
  env.DATABASE_URL = `sqlite:${seeded.file}`;
  const site = siteFacts(seeded.file);
  const all = scenarios(site);
  const ctx: DeployContext = { root, tmp, env };

  const rows: Row[] = [];
  const skipped: Skipped[] = [];

  // Boot to ready on the seeded database, three times: the median.
  const boots: number[] = [];
  const bootCpu: number[] = [];
  const idle: Record<string, number[]> = {};
  const bootRuns = quick ? 1 : 3;
  for (let i = 0; i < bootRuns; i++) {
    const d = await singleProcess(ctx, 'boot');
    boots.push(d.bootMs!);
    bootCpu.push(d.bootCpuMs!);
    idle.single = d.idleRss;
    if (i === 0) idle.singleAfterRequests = await rssAfterRequests(d);
    // V8 shrinks an idle heap only after some seconds: the first full-run boot also waits 30 s.
    if (i === 0 && !quick) {
      await new Promise((r) => setTimeout(r, 30_000));
      idle.singleAfter30s = d.pids.map(rssOf);
    }
    await d.stop();
  }
  boots.sort((a, b) => a - b);
  bootCpu.sort((a, b) => a - b);
  log(`boot to ready: ${boots.map((b) => b.toFixed(0)).join(', ')} ms (CPU ${bootCpu.join(', ')} ms); idle RSS ${mb(idle.single)}`);

  // The bare Koa baseline, up for the whole run and measured in alternation with every row
  // (bench/lib/paired.ts): this machine's speed drifts by half within a minute.
  const koa = await baseline(ctx);
  // Its code warmed before its first slice, as every Quire deployment is by its rows' warm-up.
  await withAutocannon(helloOf(koa).spec, { ...load, seconds: load.warmupSeconds, warmupSeconds: 0 }, cpuOf(koa));

  for (const step of plan) {
    // Every deployment starts on the seeded site: the write mix adds ~3 000 articles and comments,
    // which made the tag and article pages of the next deployment slower than the first one's.
    seeded.restore();
    let mysqlUrl: string | undefined;
    if (step.deployment === 'mysql-nocache') {
      const mysql = await seededMysql(root, MYSQL_ADMIN_URL, size, env);
      if ('missing' in mysql) {
        log(`SKIPPING the MariaDB rows: ${mysql.missing} (set BENCH_MYSQL_URL, or pass --no-mysql)`);
        for (const name of step.scenarios) skipped.push({ deployment: deploymentNames[step.deployment], scenario: name, reason: mysql.missing });
        continue;
      }
      onCleanup(mysql.drop);
      mysqlUrl = mysql.url;
    }
    let deployment: Deployment;
    let upstream: Deployment | undefined;
    if (mysqlUrl) deployment = await singleProcess(ctx, deploymentNames['mysql-nocache'], { CACHE: 'off', DATABASE_URL: mysqlUrl });
    else if (step.deployment === 'single') deployment = await singleProcess(ctx, deploymentNames.single);
    else if (step.deployment === 'single-nocache') deployment = await singleProcess(ctx, deploymentNames['single-nocache'], { CACHE: 'off' });
    else if (step.deployment === 'cluster') deployment = await pm2Cluster(ctx, 2);
    else deployment = await behindNginx(ctx, (upstream = await pm2Cluster(ctx, 2)));
    if (step.deployment === 'cluster') {
      idle.cluster = deployment.idleRss;
      idle.clusterAfterRequests = await rssAfterRequests(deployment);
    }
    log(`${deployment.name} at ${deployment.origin} (pids ${deployment.pids.join(', ')})`);
    for (const name of step.scenarios) {
      const scenario = all.find((s) => s.name === name)!;
      const spec = await scenario.spec(deployment.origin);
      if (!spec) {
        skipped.push({ deployment: deployment.name, scenario: name, reason: 'no such page in this build' });
        log(`${deployment.name} · ${name}: skipped (no such page in this build)`);
        continue;
      }
      const measured = await measure(deployment, scenario, spec, koa);
      // The same responses, replayed from memory by bare Koa (captured after the load, when every
      // compressed copy Quire keeps has been made), under the same load generators.
      if (step.deployment === 'single' && replayed.has(name)) {
        const bare = await replay(ctx, spec);
        measured.push(...await measure(bare, scenario, { ...spec, origin: bare.origin }, koa));
        await bare.stop();
      }
      rows.push(...measured);
    }
    await deployment.stop();
    await upstream?.stop();
  }
  await koa.stop();

  const stamp = started.toISOString().slice(0, 16).replace(':', '');
  // A quick run is a smoke check: its figures stay out of the repository.
  const base = path.join(root, quick ? 'bench/.data/results' : 'bench/results', `${stamp}${quick ? '-quick' : ''}`);
  fs.mkdirSync(path.dirname(base), { recursive: true });
  const machine = { cpus: os.cpus().length, model: os.cpus()[0]?.model, node: process.version, loadBefore, loadAfter: os.loadavg() };
  const summary = {
    date: started.toISOString(), quick, load, wrk: useWrk, machine,
    seed: { ...size, reused: seeded.reused, seconds: seeded.seedSeconds },
    bootToReadyMs: { median: median(boots), samples: boots, cpuMedian: median(bootCpu), cpuSamples: bootCpu },
    idleRssBytes: idle,
    targets: checkTargets({ rows, bootMedianMs: median(boots), idle: { single: idle.single![0]!, cluster: idle.cluster ?? [], singleAfterRequests: idle.singleAfterRequests?.[0], clusterAfterRequests: idle.clusterAfterRequests ?? [] } }),
    rows, skipped,
  };
  const table = markdownTable(rows, skipped);
  const targets = targetsMarkdown(summary.targets);
  const baselineRange = (tool: string) => {
    const rps = rows.filter((r) => isBaseline(r) && r.tool === tool).map((r) => r.rps);
    return rps.length ? `${tool} ${Math.round(Math.min(...rps))}–${Math.round(Math.max(...rps))}` : '';
  };
  const header = `Quire bench, ${summary.date}${quick ? ' (quick)' : ''}: ${machine.cpus} × ${machine.model}, Node ${machine.node}, ${load.connections} connections; per row ${load.warmupSeconds} s warm-up, then autocannon ${slicing.autocannon.slices} × ${slicing.autocannon.sliceSeconds} s${useWrk ? ` and wrk ${slicing.wrk.slices} × ${slicing.wrk.sliceSeconds} s` : ''}, each slice between two of the baseline's; load average before ${loadBefore.map((l) => l.toFixed(2)).join(' ')}.\n` +
    `Seed: ${size.users} users, ${size.articles} articles, ${size.comments} comments. Boot to ready (median of ${bootRuns}): ${median(boots).toFixed(0)} ms wall, ${median(bootCpu)} ms of CPU. ` +
    `Idle RSS 1 s after ready: one process ${mb(idle.single)}, pm2 workers ${mb(idle.cluster)}; 1 s after a few requests: one process ${mb(idle.singleAfterRequests)}${idle.singleAfter30s ? ` (${mb(idle.singleAfter30s)} 30 s later)` : ''}, pm2 workers ${mb(idle.clusterAfterRequests)}.\n` +
    `Bare Koa baseline, measured in alternation with every row: ${['autocannon', 'wrk'].map(baselineRange).filter(Boolean).join(', ')} req/s.`;
  fs.writeFileSync(`${base}.json`, `${JSON.stringify(summary, null, 2)}\n`);
  fs.writeFileSync(`${base}.md`, `${header}\n\n${table}\n\n## Targets\n\n${targets}\n`);
  fs.writeFileSync(`${base}.svg`, svgChart(rows, `Quire vs bare Koa, ${summary.date.slice(0, 10)} (autocannon, ${load.connections} connections, req/s)`));
  process.stdout.write(`\n${header}\n\n${table}\n\n${targets}\n\nwrote ${path.relative(root, base)}.{json,md,svg}\n`);
}

process.on('SIGINT', () => { void stopEverything().then(() => process.exit(130)); });
try {
  await main();
} finally {
  await stopEverything();
}
