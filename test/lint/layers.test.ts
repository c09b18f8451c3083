// The layer order of issue 20, proved on a small tree of its own: eslint.config.js is copied into
// a temporary folder beside a handful of modules, one per layer, so the proof does not depend on
// the files that src/ holds today.
import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { copyFile, mkdir, mkdtemp, rm, writeFile } from 'node:fs/promises';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { ESLint } from 'eslint';

const repo = fileURLToPath(new URL('../../', import.meta.url));

// One module per layer that the tests import from; each test writes its own importer.
const targets: Record<string, string> = {
  'src/config.ts': 'export const port = 0;\n',
  'src/core/errors.ts': 'export class AppError extends Error {}\n',
  'src/comments/comment.service.ts': 'export const listComments = () => [];\n',
  'src/articles/article.service.ts': 'export type Article = { slug: string };\nexport const listArticles = () => [];\n',
  'src/site/render.ts': 'export type View = { title: string };\nexport const render = () => "";\n',
  'src/app.ts': 'export const createApp = () => ({});\n',
  'src/bin/www.ts': 'export const started = true;\n',
};

let tree: string;
let eslint: ESLint;

before(async () => {
  await mkdir(join(repo, 'test-output'), { recursive: true });
  tree = await mkdtemp(join(repo, 'test-output', 'lint-layers-'));
  await copyFile(join(repo, 'eslint.config.js'), join(tree, 'eslint.config.js'));
  await copyFile(join(repo, 'tsconfig.json'), join(tree, 'tsconfig.json'));
  for (const [path, code] of Object.entries(targets)) await put(path, code);
  eslint = new ESLint({ cwd: tree, overrideConfigFile: join(tree, 'eslint.config.js') });
});

after(async () => {
  await rm(tree, { recursive: true, force: true });
});

async function put(path: string, code: string): Promise<void> {
  await mkdir(dirname(join(tree, path)), { recursive: true });
  await writeFile(join(tree, path), code);
}

// Writes the importer, lints it, and returns what the boundaries rules said.
async function boundaryMessages(path: string, code: string): Promise<{ ruleId: string | null; message: string; line: number }[]> {
  await put(path, code);
  const [result] = await eslint.lintFiles([join(tree, path)]);
  assert.ok(result, `no lint result for ${path}`);
  return result.messages
    .filter((m) => m.ruleId === null || m.ruleId.startsWith('boundaries/'))
    .map(({ ruleId, message, line }) => ({ ruleId, message, line }));
}

test('when src/core imports from src/site, then the boundaries rule names both layers', async () => {
  const messages = await boundaryMessages(
    'src/core/state.ts',
    "import { render } from '../site/render.js';\nexport const view = render;\n",
  );
  assert.equal(messages.length, 1, JSON.stringify(messages));
  assert.equal(messages[0]?.ruleId, 'boundaries/dependencies');
  assert.match(messages[0]?.message ?? '', /\bcore must not import site\b/);
});

test('when src/articles imports src/comments, then it is reported: a feature imports only earlier ones', async () => {
  const messages = await boundaryMessages(
    'src/articles/article.routes.ts',
    "import { listComments } from '../comments/comment.service.js';\nexport const routes = [listComments];\n",
  );
  assert.equal(messages.length, 1, JSON.stringify(messages));
  assert.match(messages[0]?.message ?? '', /\barticles must not import comments\b/);
});

test('when src/site imports src/articles, src/core and src/config.ts, then nothing is reported', async () => {
  const messages = await boundaryMessages(
    'src/site/article.pages.ts',
    [
      "import { listArticles } from '../articles/article.service.js';",
      "import { AppError } from '../core/errors.js';",
      "import { port } from '../config.js';",
      "import { render } from './render.js';",
      'export const pages = [listArticles, AppError, port, render];',
      '',
    ].join('\n'),
  );
  assert.deepEqual(messages, []);
});

test('when a lower layer imports only a type from a higher one, then it is still reported', async () => {
  const messages = await boundaryMessages(
    'src/core/validation.ts',
    [
      "import type { View } from '../site/render.js';",
      "export type { Article } from '../articles/article.service.js';",
      'export type Checked = View;',
      '',
    ].join('\n'),
  );
  assert.deepEqual(
    messages.map((m) => [m.line, m.message.split(':')[0]]),
    [
      [1, 'core must not import site'],
      [2, 'core must not import articles'],
    ],
  );
});

test('when a file sits in a folder of src/ that has no layer, then the file and every import of it are reported', async () => {
  const stray = await boundaryMessages(
    'src/helpers/format.ts',
    "import { AppError } from '../core/errors.js';\nexport const format = AppError;\n",
  );
  assert.deepEqual(stray.map((m) => m.ruleId), ['boundaries/no-unknown-files']);

  const importer = await boundaryMessages(
    'src/core/request-timing.ts',
    "import { format } from '../helpers/format.js';\nexport const timing = format;\n",
  );
  assert.deepEqual(importer.map((m) => m.ruleId), ['boundaries/no-unknown-dependencies']);
});

test('when src/cli/start.ts imports src/bin/www.ts, then only the dynamic import is allowed', async () => {
  const messages = await boundaryMessages(
    'src/cli/start.ts',
    [
      "import { started } from '../bin/www.js';",
      "export const run = async () => [started, await import('../bin/www.js')];",
      '',
    ].join('\n'),
  );
  assert.deepEqual(
    messages.map((m) => [m.line, m.message.split(':')[0]]),
    [[1, 'cli must not import bin']],
  );
});

test('when src/app.ts and src/boot.ts import each other, then nothing is reported: they share a layer', async () => {
  const messages = await boundaryMessages(
    'src/boot.ts',
    "import { createApp } from './app.js';\nexport const boot = createApp;\n",
  );
  assert.deepEqual(messages, []);
});

test('when a test beside the code imports a higher layer, then nothing is reported: tests are exempt', async () => {
  const messages = await boundaryMessages(
    'src/core/errors.test.ts',
    "import { createApp } from '../app.js';\nexport const app = createApp;\n",
  );
  assert.deepEqual(messages, []);
});
