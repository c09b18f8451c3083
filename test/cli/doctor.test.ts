// `quire doctor`, run as an operator runs it: ✓/!/✗ lines on stdout, exit 1 on any ✗.
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { execFile } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { promisify } from 'node:util';
import { openDatabase } from '../../src/db/database.js';
import { migrateToLatest } from '../../src/db/migrate.js';
import { freePort, needService, REDIS_TEST_URL } from '../../support/services.js';

const run = promisify(execFile);

interface DoctorRun { code: number; lines: string[]; stderr: string }

/** Runs `quire doctor` with only PATH and `env` in its environment, from the repository root. */
async function doctor(env: Record<string, string>, entry: string[] = ['bin/quire.js']): Promise<DoctorRun> {
  try {
    const { stdout, stderr } = await run(process.execPath, [...entry, 'doctor'], { env: { PATH: process.env.PATH, ...env }, timeout: 30_000 });
    return { code: 0, lines: stdout.trim().split('\n'), stderr };
  } catch (err) {
    const e = err as { code?: number; stdout?: string; stderr?: string };
    if (typeof e.code !== 'number') throw err;
    return { code: e.code, lines: (e.stdout ?? '').trim().split('\n'), stderr: e.stderr ?? '' };
  }
}

const marked = (r: DoctorRun, mark: string) => r.lines.filter((l) => l.startsWith(`${mark} `));

describe('quire doctor', () => {
  let dir: string;
  let good: Record<string, string>;
  before(async () => {
    dir = fs.mkdtempSync(path.join(os.tmpdir(), 'quire-doctor-'));
    good = { DATABASE_URL: `sqlite:${path.join(dir, 'quire.db')}`, DATA_DIR: dir, LOG_DIR: path.join(dir, 'logs') };
    const database = openDatabase(good.DATABASE_URL!);
    await migrateToLatest(database.db);
    await database.close();
  });
  after(() => fs.rmSync(dir, { recursive: true, force: true }));

  test('when SQLite is migrated and LOG_DIR writable, then every check passes and it exits 0', async () => {
    const r = await doctor(good);
    assert.equal(r.code, 0, r.lines.join('\n'));
    assert.deepEqual([...marked(r, '✗'), ...marked(r, '!')], []);
    assert.ok(r.lines.some((l) => /^✓ database: sqlite:.* answers, migrations up to date$/.test(l)), r.lines.join('\n'));
    assert.ok(r.lines.some((l) => l.startsWith('✓ QUIRE_SECRET: unset; generated in')), 'one machine: the generated secret is fine');
    assert.ok(r.lines.some((l) => l.startsWith('· nginx: ')));
    assert.equal(r.lines.at(-1), 'all good');
  });

  test('when DATABASE_URL names a port where no database listens, then one clear ✗ line and a non-zero exit', async () => {
    const port = await freePort();
    const r = await doctor({ ...good, DATABASE_URL: `mysql://quire:s3cret@127.0.0.1:${port}/quire`, QUIRE_SECRET: 'x'.repeat(32) });
    assert.notEqual(r.code, 0);
    assert.deepEqual(marked(r, '✗'), [`✗ database: cannot use mysql://quire:***@127.0.0.1:${port}/quire: connect ECONNREFUSED 127.0.0.1:${port}`]);
    assert.equal(r.stderr, '', 'a report, not a stack trace');
    assert.doesNotMatch(r.lines.join('\n'), /s3cret/, 'the password is never printed');
  });

  test('when REDIS_URL is set and QUIRE_SECRET is not, then it warns that each machine would make its own secret', async (t) => {
    const skip = await needService('Redis', REDIS_TEST_URL);
    if (skip) return t.skip(skip);
    const withoutSecret = await doctor({ ...good, REDIS_URL: REDIS_TEST_URL });
    assert.equal(withoutSecret.code, 0, 'a warning is not a failure');
    assert.ok(withoutSecret.lines.some((l) => l.startsWith('✓ Redis: answers at ')), withoutSecret.lines.join('\n'));
    assert.equal(marked(withoutSecret, '!').length, 1, withoutSecret.lines.join('\n'));
    assert.match(marked(withoutSecret, '!')[0]!, /^! QUIRE_SECRET: unset, but this looks multi-host \(REDIS_URL is set\): each machine would generate its own/);
    const withSecret = await doctor({ ...good, REDIS_URL: REDIS_TEST_URL, QUIRE_SECRET: 'x'.repeat(32) });
    assert.deepEqual(marked(withSecret, '!'), []);
  });

  test('when production listens on 0.0.0.0 without TRUST_PROXY, then it warns', async () => {
    // The sources, not bin/quire.js: with NODE_ENV=production that runs dist/, which may be an older build.
    const r = await doctor({ ...good, NODE_ENV: 'production', HOST: '0.0.0.0' }, ['--import', 'tsx', 'src/cli/quire.ts']);
    assert.equal(r.code, 0);
    assert.equal(marked(r, '!').length, 1, r.lines.join('\n'));
    assert.match(marked(r, '!')[0]!, /^! TRUST_PROXY: unset while listening on 0\.0\.0\.0 in production/);
  });

  test('when the config does not parse, then that is the one line and it exits non-zero', async () => {
    const r = await doctor({ ...good, PORT: 'eighty' });
    assert.notEqual(r.code, 0);
    assert.equal(marked(r, '✗').length, 1);
    assert.match(marked(r, '✗')[0]!, /^✗ config: invalid PORT="eighty": /);
    assert.equal(r.lines.length, 2, r.lines.join('\n'));
  });
});
