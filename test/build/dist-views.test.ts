// The built package stands on its own: dist/ carries the templates, so a copy of it without src/
// (as a deploy that ships only the build has) still renders pages.
import assert from 'node:assert/strict';
import { execFile } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { test } from 'node:test';
import { promisify } from 'node:util';
import { ensureBuilt, root } from '../../support/build.js';
import { withTempDir } from '../../support/temp-dir.js';

const exec = promisify(execFile);

test('when dist/ is copied without src/, then its templates render', async () => {
  await ensureBuilt();
  await withTempDir('quire-dist-', async (copy) => {
    fs.cpSync(path.join(root, 'dist'), path.join(copy, 'dist'), { recursive: true });
    fs.copyFileSync(path.join(root, 'package.json'), path.join(copy, 'package.json'));
    fs.symlinkSync(path.join(root, 'node_modules'), path.join(copy, 'node_modules'));
    assert.equal(fs.existsSync(path.join(copy, 'src')), false);
    const script = [
      "const { createRenderer } = await import('./dist/site/render.js');",
      'const view = createRenderer({ session: { flash: () => undefined, csrf: () => "" } });',
      "console.log(view.text('feeds/sitemap', { origin: 'https://example.com', links: [{ slug: 'a', updatedAt: 0 }] }));",
    ].join('\n');
    // No --import tsx: the child loads only what the build holds.
    const { stdout } = await exec(process.execPath, ['--input-type=module', '--eval', script], { cwd: copy, timeout: 30_000 });
    assert.match(stdout, /<urlset/);
    assert.match(stdout, /https:\/\/example\.com\/article\/a/);
  });
});
