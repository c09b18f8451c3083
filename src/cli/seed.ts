// `quire seed --users 100 --articles 10000 --comments 50000 [--seed N] [--reset]`: fills the
// database named by DATABASE_URL with a realistic site, with a progress bar on stderr.
import { parseArgs } from 'node:util';
import { performance } from 'node:perf_hooks';
import cliProgress from 'cli-progress';
import { generationStore } from '../cache/generation.js';
import { resetSite, seedSite, type SeedPhase } from '../seed/seed.js';
import { withServices } from './context.js';

const count = (text: string | undefined, name: string, fallback: number): number => {
  if (text === undefined) return fallback;
  const n = Number(text);
  if (!Number.isInteger(n) || n < 0) throw new Error(`--${name} must be a whole number, not "${text}"`);
  return n;
};

export async function run(argv: string[]): Promise<void> {
  const { values } = parseArgs({
    args: argv,
    options: {
      users: { type: 'string' }, articles: { type: 'string' }, comments: { type: 'string' },
      seed: { type: 'string' }, password: { type: 'string' }, reset: { type: 'boolean' }, quiet: { type: 'boolean' },
    },
  });
  const opts = {
    users: Math.max(1, count(values.users, 'users', 100)),
    articles: count(values.articles, 'articles', 10_000),
    comments: count(values.comments, 'comments', 50_000),
    seed: count(values.seed, 'seed', 1),
    password: values.password ?? 'password',
  };
  const showBar = !values.quiet;
  const bar = new cliProgress.SingleBar({
    stream: process.stderr,
    format: ' {phase} [{bar}] {value}/{total} {percentage}% | {duration}s',
    hideCursor: true,
    clearOnComplete: false,
    // Through a pipe (the bench, CI logs) too, every few seconds.
    noTTYOutput: true,
    notTTYSchedule: 3000,
  }, cliProgress.Presets.shades_classic);
  let phase: SeedPhase | undefined;
  const onProgress = (next: SeedPhase, done: number, total: number) => {
    if (!showBar) return;
    if (next !== phase) {
      if (phase) bar.stop();
      phase = next;
      bar.start(total, done, { phase: next.padEnd(8) });
    } else {
      bar.update(done);
    }
  };

  await withServices(async (deps) => {
    const t0 = performance.now();
    try {
      if (values.reset) await resetSite(deps.database.db);
      const counts = await seedSite(deps.database.db, { ...opts, onProgress });
      if (phase) bar.stop();
      const seconds = ((performance.now() - t0) / 1000).toFixed(1);
      process.stdout.write(`seeded ${deps.database.label} in ${seconds}s: ${Object.entries(counts).map(([k, v]) => `${v} ${k}`).join(', ')}; every user's password is "${opts.password}"\n`);
    } finally {
      if (phase) bar.stop();
      // Whatever a running server cached is now out of date, even if seeding stopped half-way after a reset.
      await generationStore(deps).bump();
    }
  });
}
