// Client text that names a property every plain object has (constructor, toString, __proto__ …) is
// looked up as text, never as a property: /admin/stats falls back to its default period, `quire logs`
// refuses the value with a clear message.
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { execFile } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { promisify } from 'node:util';
import { formatAccessLine } from '../../src/middleware/access-log.js';
import { choosePeriod } from '../../src/stats/stats.service.js';
import { parseMoment } from '../../src/stats/period.js';
import { pageClient } from '../pages/page-client.js';
import { startTestServer, type TestServer } from '../../support/server.js';
import { withTempDir } from '../../support/temp-dir.js';
import { sampleEntries } from '../logs/sample-log.js';

const run = promisify(execFile);
const quire = path.resolve(import.meta.dirname, '../../bin/quire.js');

const OBJECT_KEYS = ['constructor', 'toString', '__proto__', 'hasOwnProperty', 'valueOf', 'isPrototypeOf', 'propertyIsEnumerable', 'toLocaleString', '__defineGetter__'];

describe('/admin/stats with a period named after an object property', () => {
  let server: TestServer;
  before(async () => { server = await startTestServer('sqlite'); });
  after(async () => server?.close());

  test('when the owner asks for ?period=constructor, toString, __proto__ …, then the page shows the default period, never a 500', async () => {
    const owner = pageClient(server.url);
    await owner.register('statsowner'); // the first account is the site's admin
    for (const key of OBJECT_KEYS) {
      const res = await owner.get(`/admin/stats?period=${encodeURIComponent(key)}`);
      assert.equal(res.status, 200, `period=${key}: ${res.status} ${res.text.slice(0, 200)}`);
      assert.match(res.text, /last 24 hours/, `period=${key} falls back to the default`);
    }
    const listed = await owner.get('/admin/stats?period=7d');
    assert.match(listed.text, /last 7 days/, 'a real period is still chosen');
  });

  test('when a period is looked up by any such name, then the choice is the default 24h', () => {
    for (const key of OBJECT_KEYS) assert.equal(choosePeriod({ period: key }).key, '24h', key);
  });
});

describe('quire logs --since and --until with such names', () => {
  test('when --since or --until is constructor, __proto__ …, then it exits 1 naming the value, before reading any log', () => withTempDir('quire-logs-', async (dir) => {
    const file = path.join(dir, 'access.log');
    fs.writeFileSync(file, [...sampleEntries(20, { seed: 1 })].map(formatAccessLine).join(''));
    for (const key of OBJECT_KEYS) {
      for (const flag of ['--since', '--until']) {
        const failed = await run(process.execPath, [quire, 'logs', flag, key, file]).then(() => undefined, (err: { code: number; stderr: string }) => err);
        assert.ok(failed, `${flag} ${key} is refused`);
        assert.equal(failed.code, 1, `${flag} ${key}`);
        assert.match(failed.stderr, /not a time/, `${flag} ${key}: ${failed.stderr}`);
      }
      // A span whose unit is such a name is not a span either.
      assert.throws(() => parseMoment(`3${key}`), /not a time/);
    }
  }));
});

describe('quire with a command named after an object property', () => {
  test('when the command is constructor, toString, __proto__ …, then it says "unknown command" and exits 2', async () => {
    for (const key of OBJECT_KEYS) {
      const failed = await run(process.execPath, [quire, key]).then(() => undefined, (err: { code: number; stderr: string }) => err);
      assert.ok(failed, `quire ${key} is refused`);
      assert.equal(failed.code, 2, `quire ${key}: ${failed.stderr}`);
      assert.match(failed.stderr, /unknown command/, `quire ${key}`);
    }
  });
});
