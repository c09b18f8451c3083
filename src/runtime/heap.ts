// Gives back, once a worker is up, the young generation V8 grew while the modules loaded.
//
// Boot allocates much that survives (module code, templates, prepared statements), and V8 answers
// survivors by growing the young generation to its cap (deploy/runtime.cjs). An idle worker keeps it
// committed, well above its resting size, until V8's memory reducer runs many seconds later. V8
// shrinks the young generation at the end of any collection that finds the allocation rate low, but
// it judges the rate over its last ten collections, and boot's are among them. So after ready, while
// idle: young-generation collections 20 ms apart (cheap on an empty young generation), until the rate
// V8 sees is low and it shrinks, or 30 have run. Under traffic (a worker swapped in by a reload) the
// rate stays high and nothing shrinks, which is then right: the worker needs it. The cost then is up
// to 30 collections in its first second that V8 would have run a little later anyway.
//
// Once the young generation has shrunk (so the worker is idle), one full collection frees what boot
// left in the old generation, which V8's memory reducer would give back only later. It pauses the
// idle worker once. Under traffic it does not run.
//
// It needs `gc`, exposed by --expose-gc (deploy/runtime.cjs, for pm2 and the bench). Without it, as
// under `npm start`, this does nothing. Figures and what was tried: docs/decisions/20-heap-settle.md.
import v8 from 'node:v8';
import { setTimeout as sleep } from 'node:timers/promises';

/** Twice V8's starting young generation (two 512 KB semi-spaces on 64-bit). */
const SMALL_YOUNG_GENERATION = 2 * 1024 * 1024;

const spaceStatistics = (name: string) => v8.getHeapSpaceStatistics().find((s) => s.space_name === name);
const youngGenerationBytes = () => spaceStatistics('new_space')?.space_size ?? 0;
const oldGenerationUsedBytes = () => spaceStatistics('old_space')?.space_used_size ?? 0;

interface HeapSettled {
  /** Bytes the young generation held before and after. */
  before: number;
  after: number;
  collections: number;
  /** Old-generation bytes in use before and after the full collection; absent when it did not run. */
  oldUsed?: [number, number];
  /** How long the full collection paused the process. */
  fullMs?: number;
}

/** Runs young-generation collections while idle until V8 shrinks that generation; undefined without `gc`. */
export async function settleHeap({ maxCollections = 30, intervalMs = 20 } = {}): Promise<HeapSettled | undefined> {
  const gc = globalThis.gc;
  if (typeof gc !== 'function') return undefined;
  const before = youngGenerationBytes();
  let collections = 0;
  // Already at (or near) V8's starting size: nothing to give back.
  if (before <= SMALL_YOUNG_GENERATION) return { before, after: before, collections };
  while (collections < maxCollections && youngGenerationBytes() >= before) {
    await sleep(intervalMs, undefined, { ref: false });
    gc({ type: 'minor' });
    collections++;
  }
  const after = youngGenerationBytes();
  if (after >= before) return { before, after, collections };
  const oldBefore = oldGenerationUsedBytes();
  const started = performance.now();
  gc(); // a full, synchronous collection (`{ type: 'major' }` is not honoured by Node 20's gc)
  return { before, after, collections, oldUsed: [oldBefore, oldGenerationUsedBytes()], fullMs: performance.now() - started };
}
