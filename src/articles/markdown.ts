// Markdown to safe HTML, done once when an article is written (and for the editor's preview): in a
// worker thread (markdown-render.ts), which checks the body's structure (markdown-limits.ts) and
// renders it, with a time limit, so no body can block readers or burn a core.
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import type { Piscina } from 'piscina';
import { type AppError, invalid, unavailable } from '../core/errors.js';
import type { RenderResult } from './markdown-render.js';

export interface RendererOptions {
  /** A render still running after this long is cut off, its thread killed, and the write refused (422). */
  timeoutMs: number;
  /** A render thread left idle this long exits, giving its memory back. */
  idleMs: number;
}

// One thread per process: pm2 runs a process per core, so more would only compete with requests.
const THREADS = 1;
// Renders waiting for the thread; beyond this, 503 at once rather than a queue without end. Each
// waits at most RENDER_TIMEOUT_MS, so this only bounds a burst: 50 writers at once must all fit.
export const MAX_WAITING = 128;

let options: RendererOptions = { timeoutMs: 2000, idleMs: 30_000 };
let pool: Piscina<string, RenderResult> | undefined;
let running = 0;
const waiting: { start: () => void; expire: NodeJS.Timeout }[] = [];

// The worker is this folder's markdown-render file: .ts under tsx, .js in the compiled dist/.
const workerFile = new URL(`./markdown-render${path.extname(fileURLToPath(import.meta.url))}`, import.meta.url).href;

/** Sets the time limit and idle time (boot.ts, from RENDER_TIMEOUT_MS); the pool itself starts on the first render. */
export function configureRenderer(next: Partial<RendererOptions>): void {
  options = { ...options, ...next };
}

// Loaded on the first render, not at boot: a process that only serves pages needs no thread, and
// no piscina either (idle memory is budgeted: docs/decisions/19-markdown.md).
async function renderPool(): Promise<Piscina<string, RenderResult>> {
  const { Piscina } = await import('piscina');
  return pool ??= new Piscina<string, RenderResult>({
    filename: workerFile,
    minThreads: 0,
    maxThreads: THREADS,
    idleTimeout: options.idleMs,
    // Below the thread that serves requests (nice +10, Linux): when the cores are busy, readers go first.
    niceIncrement: 10,
    // A runaway render's memory is bounded too: out of it, the thread dies and the write gets a 422.
    resourceLimits: { maxOldGenerationSizeMb: 256 },
  });
}

/** Waits for a free render thread, at most as long as a render may take. */
function takeTurn(): Promise<void> {
  if (running < THREADS) {
    running++;
    return Promise.resolve();
  }
  if (waiting.length >= MAX_WAITING) return Promise.reject(unavailable());
  return new Promise((resolve, reject) => {
    const turn = {
      start: () => { clearTimeout(turn.expire); running++; resolve(); },
      expire: setTimeout(() => {
        waiting.splice(waiting.indexOf(turn), 1);
        reject(unavailable());
      }, options.timeoutMs),
    };
    waiting.push(turn);
  });
}

function endTurn(): void {
  running--;
  waiting.shift()?.start();
}

/** The body as sanitised HTML; a 422 on the body field when it breaks a limit, takes too long or cannot be rendered. */
export async function renderMarkdown(source: string): Promise<string> {
  await takeTurn();
  try {
    const renderer = await renderPool();
    // A new thread spends a few hundred ms loading markdown-it and sanitize-html (more under tsx):
    // our own start-up, run untimed, so the clock below only measures this body.
    if (renderer.threads.length === 0) await renderer.run('');
    // The clock starts once the thread is ours: a render is not charged for the ones before it.
    const timeout = AbortSignal.timeout(options.timeoutMs);
    const result = await renderer.run(source, { signal: timeout }).catch((err: unknown) => {
      throw renderFailure(err, timeout.aborted);
    });
    if ('refused' in result) throw invalid('body', result.refused);
    return result.html;
  } finally {
    endTurn();
  }
}

function renderFailure(err: unknown, timedOut: boolean): AppError {
  // Aborting a running task terminates its thread (piscina), so the render stops burning CPU.
  if (timedOut) return invalid('body', `takes too long to render (more than ${options.timeoutMs} ms); simplify its markup`);
  // Anything a body can make the renderer do (a RangeError from deep recursion, running out of memory) is the body's fault.
  return invalid('body', `could not be rendered as markdown (${err instanceof Error ? err.name : 'error'})`);
}

/** Render threads alive now (0 when idle or stopped). */
export function renderThreads(): number {
  return pool?.threads.length ?? 0;
}

/** Stops the render threads (shutdown, and the end of each test server); a later render starts them again. */
export async function closeRenderer(): Promise<void> {
  const closing = pool;
  pool = undefined;
  await closing?.destroy();
}
