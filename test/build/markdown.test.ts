// The render thread's file is found in the compiled build (dist/, what pm2 runs) as well as under
// tsx: markdown.ts names it by its own extension, .js there and .ts here.
import assert from 'node:assert/strict';
import { execFile } from 'node:child_process';
import { test } from 'node:test';
import { promisify } from 'node:util';
import { ensureBuilt, root } from '../../support/build.js';

const exec = promisify(execFile);

test('when Quire runs compiled from dist/ under plain node, then markdown renders in its worker thread', async () => {
  await ensureBuilt();
  const script = [
    "const markdown = await import('./dist/articles/markdown.js');",
    "console.log(JSON.stringify([await markdown.renderMarkdown('*compiled* ![a](https://example.com/a.png)'), markdown.renderThreads()]));",
    'await markdown.closeRenderer();',
  ].join('\n');
  // No --import tsx here: the child loads only what tsc emitted.
  const { stdout } = await exec(process.execPath, ['--input-type=module', '--eval', script], { cwd: root, timeout: 30_000 });
  assert.deepEqual(JSON.parse(stdout), ['<p><em>compiled</em> <img src="https://example.com/a.png" alt="a" loading="lazy" /></p>\n', 1]);
});
