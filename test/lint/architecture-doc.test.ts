// docs/architecture.md describes the tree as it is: every folder has its line in the folder table,
// the layer diagram lists the layers in the order the linter enforces them, and the decisions index
// lists every record.
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { test } from 'node:test';

const root = path.resolve(import.meta.dirname, '../..');
const doc = fs.readFileSync(path.join(root, 'docs', 'architecture.md'), 'utf8');
const layersSection = doc.slice(doc.indexOf('## Layers'), doc.indexOf('\n## ', doc.indexOf('## Layers') + 1));

/** Every folder that holds a tracked file, as `a/b/`. */
function trackedFolders(): Set<string> {
  const files = execFileSync('git', ['ls-files'], { cwd: root, encoding: 'utf8' }).split('\n').filter(Boolean);
  const folders = new Set<string>();
  for (const file of files) {
    const parts = file.split('/').slice(0, -1);
    for (let i = 1; i <= parts.length; i++) folders.add(`${parts.slice(0, i).join('/')}/`);
  }
  return folders;
}

test('when a folder holds code or docs, then the architecture doc gives it a line', () => {
  const table = new Set([...layersSection.matchAll(/^\| `([^`]+\/)` \|/gm)].map((m) => m[1]!));
  // A folder is described by its own row, or named (`suites/`) in the row of a folder above it.
  const described = (folder: string) => table.has(folder) || [...table].some((row) => {
    if (!folder.startsWith(row)) return false;
    const line = layersSection.split('\n').find((l) => l.startsWith(`| \`${row}\` |`)) ?? '';
    return line.includes(`\`${path.basename(folder)}/\``);
  });
  const missing = [...trackedFolders()].filter((folder) => !described(folder));
  assert.deepEqual(missing, [], `docs/architecture.md has no line for: ${missing.join(', ')}`);
});

test('when the linter orders the layers, then the doc\'s diagram shows the same order', () => {
  const config = fs.readFileSync(path.join(root, 'eslint.config.js'), 'utf8');
  const linted = [...config.matchAll(/\{ name: '([\w-]+)', pattern: 'src\/([\w-]+)\/\*\*' \}/g)].map((m) => m[2]!)
    .filter((folder) => folder !== 'types');
  assert.ok(linted.length >= 15, `read ${linted.length} folder layers from eslint.config.js`);
  const diagram = layersSection.slice(layersSection.indexOf('```'), layersSection.indexOf('```', layersSection.indexOf('```') + 3));
  // Drawn top (highest) down, and the features' row from the highest on the left: read backwards, lowest first.
  const drawn = [...diagram.matchAll(/\b([a-z]+)\/(?=[\s─►]|$)/gm)].map((m) => m[1]!).reverse();
  assert.deepEqual(drawn.filter((name) => linted.includes(name)), linted);
});

test('when a decision record is written, then the decisions index lists it', () => {
  const dir = path.join(root, 'docs', 'decisions');
  const index = fs.readFileSync(path.join(dir, 'README.md'), 'utf8');
  const unlisted = fs.readdirSync(dir).filter((file) => file !== 'README.md' && file.endsWith('.md') && !index.includes(`](${file})`));
  assert.deepEqual(unlisted, []);
});
