// When a user stores script payloads in every field a page shows, then every page renders them
// as inert text or strips them, and no script runs in a real browser, even with the CSP bypassed.
import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import type { Browser, Page } from 'playwright-core';
import { startTestServer, type TestServer } from '../../support/server.js';
import { pageClient } from '../pages/page-client.js';
import { chromiumMissing, launchBrowser, screenshotter } from './browser.js';

const title = `Title <script>window.__xss='title'</script><img src=x onerror="window.__xss='title-img'">`;
const description = `Desc <svg onload="window.__xss='desc'"></svg> <a href="javascript:alert('desc')">d</a>`;
const body = [
  `<script>window.__xss='body'</script>`,
  `<img src="x" onerror="alert('body-img')">`,
  `<svg onload="alert('body-svg')"><circle r="1"/></svg>`,
  `[click me](javascript:alert('md-link'))`,
  `[spaced]( javascript:alert('md-space') )`,
  `[entity](jav&#x09;ascript:alert('md-entity'))`,
  `<a href="JaVaScRiPt:alert('html-link')">html link</a>`,
  `![pic](x" onerror="alert('md-img'))`,
  `[data](data:text/html;base64,PHNjcmlwdD5hbGVydCgxKTwvc2NyaXB0Pg==)`,
  `<iframe src="javascript:alert('iframe')"></iframe>`,
  `<div style="background:url(javascript:alert('style'))" onmouseover="alert('hover')">hover</div>`,
].join('\n\n');
const tag = `<img src=x onerror=alert('tag')>`;
const comment = `<script>alert('comment')</script><img src=x onerror="alert('comment-img')">`;
const bio = `<svg/onload=alert('bio')> </textarea><script>alert('bio-script')</script>`;

describe('stored XSS payloads in the browser', { timeout: 90_000, skip: chromiumMissing() }, () => {
  let server: TestServer;
  let browser: Browser;
  let page: Page;
  const dialogs: string[] = [];
  const shot = screenshotter('xss');
  let slug = '';

  before(async () => {
    server = await startTestServer('sqlite');
    const mallory = pageClient(server.url);
    await mallory.register('mallory');
    const created = await mallory.post('/editor', { title, description, body, tags: `${tag}, plain` });
    assert.equal(created.status, 302, created.text.slice(0, 300));
    slug = decodeURIComponent(created.location!.replace('/article/', ''));
    await mallory.get(created.location!);
    assert.equal((await mallory.post(`/article/${encodeURIComponent(slug)}/comments`, { body: comment })).status, 302);
    await mallory.get('/settings');
    const settings = await mallory.post('/settings', { username: 'mallory', email: 'mallory@example.com', bio, image: '' });
    assert.equal(settings.status, 302, settings.text.slice(0, 300));

    browser = await launchBrowser();
    // bypassCSP: the pages must be safe by escaping and sanitising alone; the CSP is a second wall.
    const context = await browser.newContext({ bypassCSP: true });
    context.setDefaultTimeout(10_000);
    const [name, value] = [...mallory.jar].find(([k]) => k === 'quire.sid')!;
    const sig = mallory.jar.get('quire.sid.sig')!;
    const { hostname } = new URL(server.url);
    await context.addCookies([{ name, value, domain: hostname, path: '/' }, { name: 'quire.sid.sig', value: sig, domain: hostname, path: '/' }]);
    page = await context.newPage();
    page.on('dialog', (dialog) => { dialogs.push(dialog.message()); void dialog.dismiss(); });
  });

  after(async () => {
    await browser?.close();
    await server?.close();
  });

  async function assertInert(path: string, name: string) {
    const res = await page.goto(`${server.url}${path}`);
    assert.equal(res?.status(), 200, path);
    await page.waitForLoadState('load');
    await page.locator('main').hover().catch(() => undefined);
    await shot(page, name);
    const found = await page.evaluate(() => {
      const w = window as unknown as { __xss?: unknown };
      const onAttributes = [...document.querySelectorAll('*')].flatMap((el) => [...el.attributes].filter((a) => a.name.startsWith('on')).map((a) => `${el.tagName}[${a.name}]`));
      const badLinks = [...document.querySelectorAll('a[href], iframe, img[src]')].map((el) => el.getAttribute('href') ?? el.getAttribute('src') ?? '')
        .filter((u) => /^\s*(javascript|data|vbscript):/i.test(u));
      return { xss: w.__xss ?? null, scripts: document.querySelectorAll('script').length, svg: document.querySelectorAll('main svg, main iframe').length, onAttributes, badLinks };
    });
    assert.deepEqual(found, { xss: null, scripts: 0, svg: 0, onAttributes: [], badLinks: [] }, path);
    assert.deepEqual(dialogs, [], `${path} opened a dialog`);
  }

  it('when the article page shows the payloads, then no script runs and the title reads as text', async () => {
    await assertInert(`/article/${encodeURIComponent(slug)}`, 'article');
    assert.equal(await page.locator('h1').innerText(), title);
    assert.match(await page.locator('.comment-body').innerText(), /<script>alert\('comment'\)<\/script>/);
    assert.ok((await page.locator('article .tag').allInnerTexts()).includes(tag));
  });

  it('when lists, tag, search and profile pages show them, then no script runs', async () => {
    await assertInert('/', 'home');
    await assertInert(`/tag/${encodeURIComponent(tag)}`, 'tag');
    await assertInert(`/search?q=${encodeURIComponent('<script>')}`, 'search');
    assert.ok(await page.locator('mark').count() > 0, 'the match is highlighted, as text');
    await assertInert('/@mallory', 'profile');
    assert.equal(await page.locator('.bio').innerText(), bio);
    await assertInert(`/editor/${encodeURIComponent(slug)}`, 'editor');
    assert.equal(await page.getByLabel('Title').inputValue(), title);
    await assertInert('/settings', 'settings');
    assert.equal(await page.getByLabel('Short bio about you').inputValue(), bio);
  });

  it('when an image URL carries a script, then settings refuse it and show the input inert', async () => {
    for (const image of [`javascript:alert('img')`, `https://x.test/a.png" onerror="alert('img2')`, `data:image/svg+xml,<svg onload=alert(1)>`]) {
      await page.goto(`${server.url}/settings`);
      await page.getByLabel('URL of profile picture').fill(image);
      await page.getByRole('button', { name: 'Update settings' }).click();
      await page.waitForLoadState('load');
      assert.match(await page.locator('#image-error').innerText(), /must be an http\(s\) URL/);
      assert.equal(await page.getByLabel('URL of profile picture').inputValue(), image);
      assert.equal(await page.locator('main img').count(), 0);
    }
    await shot(page, 'settings-image-refused');
    assert.deepEqual(dialogs, []);
  });

  it('when the site is served normally, then its CSP forbids inline scripts', async () => {
    const res = await fetch(`${server.url}/`);
    const csp = res.headers.get('content-security-policy') ?? '';
    assert.match(csp, /script-src 'self'/);
    assert.doesNotMatch(csp, /unsafe-inline/);
    assert.match(csp, /script-src-attr 'none'/);
  });
});
