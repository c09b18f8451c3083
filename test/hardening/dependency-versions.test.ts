// Dependencies with advisories fixed in a patch release: the range allows the patch releases and
// what is installed has the fix. sanitize-html 2.17.6 fixes an advisory; 2.17.5 was pinned exactly.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import fs from 'node:fs';
import path from 'node:path';
import { createRequire } from 'node:module';

const root = path.resolve(import.meta.dirname, '../..');
const manifest = JSON.parse(fs.readFileSync(path.join(root, 'package.json'), 'utf8')) as { dependencies: Record<string, string> };

/** [major, minor, patch] of a plain version string. */
const parts = (version: string) => version.split('.').map(Number) as [number, number, number];

test('when sanitize-html is installed, then its range takes patch releases and the installed one has the 2.17.6 fix', () => {
  const range = manifest.dependencies['sanitize-html'];
  assert.match(range ?? '', /^~2\.17\.\d+$/, `the range ${range} should take 2.17.x patch releases (and stay on the line that runs on Node 20)`);
  const installed = (createRequire(import.meta.url)('sanitize-html/package.json') as { version: string }).version;
  const [major, minor, patch] = parts(installed);
  assert.ok(major === 2 && minor === 17 && patch >= 6, `installed ${installed}, wanted 2.17.6 or later on the 2.17 line`);
});
