// The renderer's thread: started on the first render, cut off at the time limit, gone when idle
// or closed; and what the sanitised HTML keeps (loading="lazy" on images).
import assert from 'node:assert/strict';
import { after, test } from 'node:test';
import { hostileInput } from '../../test/hardening/markdown-corpus.js';
import { AppError } from '../core/errors.js';
import { closeRenderer, configureRenderer, MAX_WAITING, renderMarkdown, renderThreads } from './markdown.js';

// Long enough to see a thread stay up between two renders, short enough to see it go.
const IDLE_MS = 500;
configureRenderer({ timeoutMs: 100, idleMs: IDLE_MS });
after(() => closeRenderer());

/** Resolves once check() holds, polling every 20 ms; rejects after withinMs. */
async function eventually(check: () => boolean, withinMs: number): Promise<void> {
  const deadline = Date.now() + withinMs;
  while (!check()) {
    if (Date.now() > deadline) throw new Error(`not true within ${withinMs} ms`);
    await new Promise((resolve) => setTimeout(resolve, 20));
  }
}

async function refusal(source: string): Promise<string> {
  const err = await renderMarkdown(source).then(() => undefined, (e: unknown) => e);
  assert.ok(err instanceof AppError && err.status === 422, `a 422, not ${String(err)}`);
  return err.errors.body![0]!;
}

test('when nothing has been rendered yet, then no render thread runs', () => {
  assert.equal(renderThreads(), 0);
});

test('when markdown has an image, then the HTML keeps loading="lazy" on it, whatever raw HTML asked for', async () => {
  assert.equal(await renderMarkdown('![a cat](https://example.com/cat.png)'),
    '<p><img src="https://example.com/cat.png" alt="a cat" loading="lazy" /></p>\n');
  const raw = await renderMarkdown('<img src="https://example.com/a.png" loading="eager" onerror="alert(1)">');
  assert.equal(raw.trim(), '<img src="https://example.com/a.png" loading="lazy" />');
  assert.equal(renderThreads(), 1);
});

test('when markdown has links, tables and code, then they come out as before: nofollow links, align attributes, language classes', async () => {
  const html = await renderMarkdown('[x](https://example.com) https://example.org\n\n| a | b |\n|:-|-:|\n| 1 | 2 |\n\n```js\nlet a = 1 < 2;\n```');
  assert.match(html, /<a href="https:\/\/example\.com" rel="nofollow noopener">x<\/a>/);
  assert.match(html, /<a href="https:\/\/example\.org" rel="nofollow noopener">https:\/\/example\.org<\/a>/);
  assert.match(html, /<th align="left">a<\/th>\n<th align="right">b<\/th>/);
  assert.match(html, /<pre><code class="language-js">let a = 1 &lt; 2;\n<\/code><\/pre>/);
  assert.doesNotMatch(html, /style=/);
});

test('when a body breaks a structural limit, then it is refused with 422 naming the limit', async () => {
  assert.equal(await refusal('>'.repeat(25_000)), 'is nested too deeply (at most 32 levels of quotes and lists)');
});

test('when a render runs past the time limit, then it is refused with 422 and its thread is killed', async () => {
  await renderMarkdown('warm the thread up');
  // About a second of work on this machine (docs/decisions/19-markdown.md), ten times the limit.
  assert.equal(await refusal(hostileInput('table square', 200_000)), 'takes too long to render (more than 100 ms); simplify its markup');
  assert.equal(renderThreads(), 0, 'the thread that ran over is gone, not left burning CPU');
  assert.equal(await renderMarkdown('*still* works'), '<p><em>still</em> works</p>\n');
});

test('when more renders wait for the thread than the queue holds, then the one over is refused with 503 at once', async () => {
  // One runs, MAX_WAITING wait, the one after them is turned away. Each waits at most the render
  // limit, so it is long enough here for every turn to come before its wait runs out.
  configureRenderer({ timeoutMs: 5000 });
  const renders = Array.from({ length: MAX_WAITING + 2 }, (_, i) => renderMarkdown(`render ${i}`).then(() => 'rendered', (err: AppError) => err.status));
  const outcomes = await Promise.all(renders);
  assert.deepEqual(outcomes.filter((o) => o !== 'rendered'), [503]);
  assert.equal(outcomes[MAX_WAITING + 1], 503);
  configureRenderer({ timeoutMs: 100 });
});

test('when the render thread has been idle for a while, then it exits and a later render starts another', async () => {
  await renderMarkdown('keep the thread busy');
  assert.equal(renderThreads(), 1);
  await eventually(() => renderThreads() === 0, IDLE_MS + 5000);
  assert.equal(await renderMarkdown('again'), '<p>again</p>\n');
});

test('when the renderer is closed, then its thread stops at once', async () => {
  await renderMarkdown('one more');
  assert.equal(renderThreads(), 1);
  await closeRenderer();
  assert.equal(renderThreads(), 0);
});
