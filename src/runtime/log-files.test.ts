// When log files are named, rotated and pruned, then each worker only ever touches its own files.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { closeLogFiles, currentLogName, isAccessLogName, openLogFile, pruneRotated, rotatedLogName } from './log-files.js';

test('when names are made, then the worker id is in them and the access-log filter knows them all', () => {
  assert.equal(currentLogName('access'), 'access.log');
  assert.equal(currentLogName('access', '1'), 'access-1.log');
  const rotated = rotatedLogName('access', '1', new Date(Date.UTC(2025, 0, 2, 3, 4, 5)), 2);
  assert.equal(rotated, 'access-1-20250102-030405-2.log.gz');
  for (const name of ['access.log', 'access-1.log', rotated, 'access-20250102-030405-1.log.gz']) assert.ok(isAccessLogName(name), name);
  for (const name of ['error-1.log', 'pm2-out.log', 'access.log.txt']) assert.ok(!isAccessLogName(name), name);
});

test('when a file passes its size limit, then it is rotated to .gz with no line split, and old rotations are pruned', async () => {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'quire-logfiles-'));
  try {
    const opts = { dir: path.join(dir, 'new'), kind: 'access' as const, worker: '3', rotateBytes: 1024, interval: 'off', retainDays: 7 };
    const stream = openLogFile(opts);
    for (let i = 0; i < 100; i++) stream.write(`line ${i} ${'x'.repeat(40)}\n`);
    await closeLogFiles(dir);
    const names = fs.readdirSync(opts.dir).sort();
    assert.ok(names.filter((n) => /^access-3-\d{8}-\d{6}-\d+\.log\.gz$/.test(n)).length >= 3, names.join(' '));
    const other = path.join(opts.dir, 'access-4-20000101-000000-1.log.gz');
    const old = path.join(opts.dir, 'access-3-20000101-000000-1.log.gz');
    for (const f of [other, old]) {
      fs.writeFileSync(f, '');
      fs.utimesSync(f, new Date('2000-01-01'), new Date('2000-01-01'));
    }
    assert.deepEqual(await pruneRotated(opts), ['access-3-20000101-000000-1.log.gz']);
    assert.ok(fs.existsSync(other), "another worker's file is left alone");
  } finally {
    fs.rmSync(dir, { recursive: true, force: true });
  }
});
