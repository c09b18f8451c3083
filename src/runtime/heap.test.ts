// When a process has grown its young generation and then idles, settleHeap gives it back.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { execFile } from 'node:child_process';
import { promisify } from 'node:util';
import { settleHeap } from './heap.js';

const run = promisify(execFile);
const heapModule = new URL('./heap.ts', import.meta.url).href;

// Like a boot: many small objects that live through several young-generation collections, which
// makes V8 grow that generation to its cap; then they are dropped and the process idles.
const child = `
const { settleHeap } = await import(${JSON.stringify(heapModule)});
let kept = [];
for (let i = 0; i < 400_000; i++) kept.push({ i, s: 'item ' + i });
kept = undefined;
const alive = setInterval(() => {}, 1000); // settleHeap's own timers do not hold the process open
console.log(JSON.stringify(await settleHeap()));
clearInterval(alive);
`;

test('when the young generation grew and the process is idle, then settleHeap shrinks it and frees what boot left in the old generation', async () => {
  const { stdout } = await run(process.execPath, ['--expose-gc', '--max-semi-space-size=8', '--import', 'tsx', '--input-type=module', '-e', child]);
  const settled = JSON.parse(stdout) as { before: number; after: number; collections: number; oldUsed?: [number, number] };
  assert.ok(settled.before >= 8 * 1024 * 1024, `the young generation grew first: ${settled.before} bytes`);
  assert.ok(settled.after <= settled.before / 4, `and shrank: ${settled.before} → ${settled.after} bytes after ${settled.collections} collections`);
  // The 400 000 items outlived two scavenges, so they were promoted; only a full collection frees them.
  const [oldBefore, oldAfter] = settled.oldUsed ?? [0, 0];
  assert.ok(oldBefore - oldAfter >= 10 * 1024 * 1024, `the old generation's garbage went: ${oldBefore} → ${oldAfter} bytes in use`);
});

test('when gc is not exposed, then settleHeap does nothing', async () => {
  assert.equal(typeof globalThis.gc, 'undefined', 'this test process runs without --expose-gc');
  assert.equal(await settleHeap(), undefined);
});
