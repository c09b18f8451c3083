// When the site's owner opens /admin/stats in Chromium, then the period's figures show as
// server-drawn SVG charts (a screenshot is kept in test-output/stats/); anyone else is refused.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import fs from 'node:fs';
import path from 'node:path';
import zlib from 'node:zlib';
import type { Browser, Page } from 'playwright-core';
import { formatAccessLine } from '../../src/middleware/access-log.js';
import { chromiumMissing, launchBrowser } from '../browser/browser.js';
import { apiClient } from '../../support/client.js';
import { startTestServer } from '../../support/server.js';
import { sampleEntries } from './sample-log.js';

async function signIn(page: Page, base: string, email: string) {
  await page.goto(`${base}/login`);
  await page.fill('input[name="email"]', email);
  await page.fill('input[name="password"]', 'password123');
  await Promise.all([page.waitForURL((url) => !url.pathname.startsWith('/login')), page.click('main form[action="/login"] button[type="submit"]')]);
}

test('when the owner opens /admin/stats, then charts render; a reader gets 403 and a visitor is sent to /login', { timeout: 120_000, skip: chromiumMissing() }, async () => {
  const server = await startTestServer('sqlite', { SERVER_TIMING: '0' });
  let browser: Browser | undefined;
  try {
    const api = apiClient(server.url);
    await api.register('owner');
    await api.register('reader');
    // A day of earlier traffic, as a rotated worker file would hold it.
    const dayAgo = Date.now() - 23 * 3_600_000;
    const lines = [...sampleEntries(4000, { seed: 3, start: dayAgo, stepMs: Math.floor((22 * 3_600_000) / 4000) })].map(formatAccessLine).join('');
    fs.mkdirSync(server.deps.config.LOG_DIR, { recursive: true });
    fs.writeFileSync(path.join(server.deps.config.LOG_DIR, 'access-7-20250102-100000-1.log.gz'), zlib.gzipSync(lines));

    const visitor = await fetch(`${server.url}/admin/stats`, { redirect: 'manual' });
    assert.equal(visitor.status, 302);
    assert.match(visitor.headers.get('location') ?? '', /^\/login\?next=%2Fadmin%2Fstats/);

    browser = await launchBrowser();
    const reader = await (await browser.newContext()).newPage();
    await signIn(reader, server.url, 'reader@example.com');
    const refused = await reader.goto(`${server.url}/admin/stats`);
    assert.equal(refused?.status(), 403);
    assert.equal(await reader.locator('svg.chart').count(), 0);

    const owner = await (await browser.newContext({ viewport: { width: 1000, height: 900 } })).newPage();
    await signIn(owner, server.url, 'owner@example.com');
    const shown = await owner.goto(`${server.url}/admin/stats?period=24h`);
    assert.equal(shown?.status(), 200);
    assert.equal(await owner.locator('svg.chart').count(), 4);
    for (const chart of await owner.locator('svg.chart').all()) {
      const box = await chart.boundingBox();
      assert.ok(box && box.width > 100 && box.height > 50, 'each chart is laid out and visible');
    }
    const drawn = await owner.evaluate(() => [...document.querySelectorAll('svg.chart')].map((svg) => svg.querySelectorAll('rect.bar, path.slice, circle.slice').length));
    assert.ok(drawn.every((n) => n > 0), `every chart draws something: ${drawn}`);
    assert.match(await owner.locator('main').innerText(), /requests/);
    assert.ok(await owner.getByText('/article/post-0').count() > 0, 'top articles are named');
    const dir = path.join('test-output', 'stats');
    fs.mkdirSync(dir, { recursive: true });
    await owner.screenshot({ path: path.join(dir, 'admin-stats.png'), fullPage: true });
  } finally {
    await browser?.close();
    await server.close();
  }
});
