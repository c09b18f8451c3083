// Shared by the browser tests: Debian's Chromium through playwright-core, and the checks every
// page must pass (one round trip, no other host, a title, a description, landmarks).
import assert from 'node:assert/strict';
import fs from 'node:fs';
import path from 'node:path';
import { chromium, type Browser, type Page, type Request } from 'playwright-core';
import { serviceMissing } from '../../support/services.js';

const CHROMIUM_ARGS = [
  '--headless', '--no-sandbox', '--disable-gpu', '--disable-background-networking',
  '--disable-component-update', '--disable-sync', '--no-first-run', '--disable-quic',
];

const CHROMIUM = process.env.CHROMIUM_PATH ?? '/usr/bin/chromium';

/**
 * The skip reason for a browser suite when Chromium is not installed (pass it as { skip }):
 * loud on a laptop, and a failure under CI=true.
 */
export function chromiumMissing(): string | undefined {
  return fs.existsSync(CHROMIUM) ? undefined : serviceMissing(`Chromium is not installed at ${CHROMIUM} (apt-get install chromium)`);
}

export function launchBrowser(): Promise<Browser> {
  return chromium.launch({ executablePath: CHROMIUM, args: CHROMIUM_ARGS, timeout: 30_000 });
}

/** Records every request a page makes, so a test can say which hosts and kinds it saw. */
export function watchRequests(page: Page): Request[] {
  const seen: Request[] = [];
  page.on('request', (req) => seen.push(req));
  return seen;
}

/** Saves a full-page screenshot as test-output/browser/<suite>/<name>.png. */
export function screenshotter(suite: string) {
  const dir = path.join('test-output', 'browser', suite);
  fs.rmSync(dir, { recursive: true, force: true }); // only this run's pictures
  fs.mkdirSync(dir, { recursive: true });
  let n = 0;
  return async (page: Page, name: string) => {
    n += 1;
    await page.screenshot({ path: path.join(dir, `${String(n).padStart(2, '0')}-${name}.png`), fullPage: true });
  };
}

/**
 * The page now shown was delivered whole in one response (no redirect on a GET, no script
 * fetching content), every request went to the site's own host, and it has a title, a
 * description and the landmarks header/nav/main/footer.
 */
export async function assertWellFormedPage(page: Page, requests: Request[], origin: string): Promise<void> {
  const url = page.url();
  const documents = requests.filter((r) => r.resourceType() === 'document' && r.frame() === page.mainFrame());
  const last = documents[documents.length - 1];
  assert.ok(last, `no document request for ${url}`);
  let first = last;
  while (first.redirectedFrom()) first = first.redirectedFrom()!;
  // A form post answered by a redirect (post/redirect/get) is fine; a GET must not bounce.
  if (first.method() === 'GET') assert.equal(first, last, `${url} was reached through a redirect`);
  assert.deepEqual(requests.filter((r) => ['xhr', 'fetch', 'script', 'websocket'].includes(r.resourceType())).map((r) => r.url()), [], `${url} ran or fetched scripts`);
  const foreign = requests.map((r) => r.url()).filter((u) => !u.startsWith(`${origin}/`) && !u.startsWith('data:'));
  assert.deepEqual(foreign, [], `${url} asked another host`);
  assert.ok((await page.title()).trim().length > 0, `${url} has no title`);
  const description = await page.locator('meta[name="description"]').getAttribute('content');
  assert.ok(description && description.trim().length > 0, `${url} has no description`);
  const landmarks = await page.evaluate(() => ({
    banner: document.querySelectorAll('body > header').length,
    nav: document.querySelectorAll('header nav').length,
    main: document.querySelectorAll('main').length,
    contentinfo: document.querySelectorAll('body > footer').length,
    lang: document.documentElement.lang,
  }));
  assert.deepEqual(landmarks, { banner: 1, nav: 1, main: 1, contentinfo: 1, lang: 'en' }, `${url} landmarks`);
}
