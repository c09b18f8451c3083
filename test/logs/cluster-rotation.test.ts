// When two pm2 workers write access logs while rotations are forced (tiny size limit, short
// interval), then every request is found exactly once across the current and rotated (.gz) files:
// none lost, none doubled, none torn. Runs the compiled app (support/build.ts) under a real pm2
// with its own PM2_HOME, port and LOG_DIR.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { execFile } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { promisify } from 'node:util';
import zlib from 'node:zlib';
import { parseAccessLine } from '../../src/stats/access-line.js';
import { ensureBuilt, root } from '../../support/build.js';
import { freePort } from '../../support/services.js';

const run = promisify(execFile);
const pm2Bin = path.join(root, 'node_modules/pm2/bin/pm2');
const SPREAD_MS = 6_000;
const REQUESTS = 1500;

test('when 2 pm2 workers log while files rotate, then exactly N lines are found across current and rotated files', { timeout: 240_000 }, async () => {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'quire-cluster-logs-'));
  const pm2Home = path.join(dir, 'pm2');
  const logDir = path.join(dir, 'logs');
  const port = await freePort();
  const env = {
    NODE_ENV: 'production',
    HOST: '127.0.0.1',
    PORT: String(port),
    LOG_DIR: logDir,
    DATA_DIR: path.join(dir, 'data'),
    DATABASE_URL: `sqlite:${path.join(dir, 'data', 'quire.db')}`,
    QUIRE_SECRET: 'cluster-test-secret-long-enough-0123456789',
    LOG_LEVEL: 'warn',
    ACCESS_LOG: 'file',
    LOG_ROTATE_SIZE: '4kb',
    LOG_ROTATE_INTERVAL: '5s',
    SERVER_TIMING: '0',
  };
  const pm2 = (...args: string[]) => run(process.execPath, [pm2Bin, ...args], { env: { ...process.env, PM2_HOME: pm2Home }, cwd: dir });
  try {
    await ensureBuilt();
    // Migrate once, before two workers race to do it.
    await run(process.execPath, [path.join(root, 'dist/cli/quire.js'), 'migrate'], { env: { ...process.env, ...env } });
    fs.writeFileSync(path.join(dir, 'ecosystem.config.cjs'), `module.exports = { apps: [${JSON.stringify({
      name: 'quire-logs-test', cwd: root, script: 'dist/bin/www.js', exec_mode: 'cluster', instances: 2,
      wait_ready: true, listen_timeout: 20_000, kill_timeout: 15_000, autorestart: false, env,
      out_file: path.join(dir, 'pm2-out.log'), error_file: path.join(dir, 'pm2-err.log'),
    })}] };\n`);
    await pm2('start', path.join(dir, 'ecosystem.config.cjs'));
    const base = `http://127.0.0.1:${port}`;
    for (let i = 0; ; i++) {
      const ok = await fetch(`${base}/healthz`).then((r) => r.ok, () => false);
      if (ok) break;
      if (i > 200) throw new Error(`the cluster did not answer: ${fs.readFileSync(path.join(dir, 'pm2-err.log'), 'utf8').slice(-2000)}`);
      await new Promise((r) => setTimeout(r, 100));
    }

    let next = 0;
    const started = Date.now();
    const worker = async () => {
      while (next < REQUESTS) {
        const i = next++;
        // Paced to span more than one 5 s interval however fast the machine is, so time rotations happen too.
        const due = started + (i * SPREAD_MS) / REQUESTS;
        if (Date.now() < due) await new Promise((r) => setTimeout(r, due - Date.now()));
        const res = await fetch(`${base}/api/probe-${i}`, { headers: { 'User-Agent': `probe/${i}` } });
        await res.arrayBuffer();
      }
    };
    await Promise.all(Array.from({ length: 16 }, worker));
    assert.ok(Date.now() - started > 5000, 'the run spans a time rotation');

    // A graceful stop flushes each worker's file and waits for a rotation in progress.
    await pm2('stop', 'all');

    const files = fs.readdirSync(logDir).filter((n) => n.startsWith('access'));
    const rotated = files.filter((n) => n.endsWith('.gz'));
    assert.ok(rotated.length >= 6, `several rotations happened: ${files.join(' ')}`);
    assert.ok(files.includes('access-0.log') || files.some((n) => n.startsWith('access-0-')), 'worker 0 wrote');
    assert.ok(files.includes('access-1.log') || files.some((n) => n.startsWith('access-1-')), 'worker 1 wrote');

    const seen = new Map<number, number>();
    let torn = 0;
    for (const name of files) {
      const raw = fs.readFileSync(path.join(logDir, name));
      const text = (name.endsWith('.gz') ? zlib.gunzipSync(raw) : raw).toString('utf8');
      if (text.length > 0) assert.ok(text.endsWith('\n'), `${name} ends with a whole line`);
      for (const line of text.split('\n').filter(Boolean)) {
        const record = parseAccessLine(line);
        if (!record) { torn++; continue; }
        const m = /^\/api\/probe-(\d+)$/.exec(record.path);
        if (m) seen.set(Number(m[1]), (seen.get(Number(m[1])) ?? 0) + 1);
      }
    }
    assert.equal(torn, 0, 'no torn lines');
    const missing = Array.from({ length: REQUESTS }, (_, i) => i).filter((i) => !seen.has(i));
    const doubled = [...seen].filter(([, n]) => n > 1).map(([i]) => i);
    assert.deepEqual(missing, [], 'no line lost');
    assert.deepEqual(doubled, [], 'no line doubled');
    assert.equal([...seen.values()].reduce((a, b) => a + b, 0), REQUESTS);
  } finally {
    await pm2('kill').catch(() => undefined);
    fs.rmSync(dir, { recursive: true, force: true });
  }
});
