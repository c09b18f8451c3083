// When a writer and a reader use Quire in a real browser, then every step shows them what they
// expect: register, sign out and in, write, find, edit, comment, favourite, follow, delete.
import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { randomBytes } from 'node:crypto';
import type { Browser, BrowserContext, Page, Request } from 'playwright-core';
import { startTestServer, type TestServer } from '../../support/server.js';
import { assertWellFormedPage, chromiumMissing, launchBrowser, screenshotter, watchRequests } from './browser.js';

describe('the browser journey of a writer and a reader', { timeout: 120_000, skip: chromiumMissing() }, () => {
  let server: TestServer;
  let browser: Browser;
  let writerContext: BrowserContext;
  let readerContext: BrowserContext;
  let writer: Page;
  let reader: Page;
  const requests = new Map<Page, Request[]>();
  const shot = screenshotter('journey');
  const word = `quokka${randomBytes(3).toString('hex')}`;
  const tag = `tag-${word}`;
  let slug = '';

  /** After a navigation: the page passed the every-page checks; then a screenshot. */
  async function settled(page: Page, name: string) {
    await page.waitForLoadState('load');
    await assertWellFormedPage(page, requests.get(page)!, server.url);
    await shot(page, name);
  }

  async function go(page: Page, path: string, name: string) {
    requests.get(page)!.length = 0;
    const response = await page.goto(`${server.url}${path}`);
    assert.ok(response, `no response for ${path}`);
    await settled(page, name);
    return response;
  }

  async function submit(page: Page, button: string | RegExp, name: string) {
    requests.get(page)!.length = 0;
    await page.getByRole('button', { name: button, exact: true }).click();
    await settled(page, name);
  }

  const text = (page: Page, selector = 'main') => page.locator(selector).innerText();

  before(async () => {
    server = await startTestServer('sqlite');
    browser = await launchBrowser();
    writerContext = await browser.newContext();
    readerContext = await browser.newContext();
    for (const context of [writerContext, readerContext]) context.setDefaultTimeout(10_000);
    writer = await writerContext.newPage();
    reader = await readerContext.newPage();
    requests.set(writer, watchRequests(writer));
    requests.set(reader, watchRequests(reader));
  });

  after(async () => {
    await browser?.close();
    await server?.close();
  });

  it('when a visitor signs up, then they are welcomed and signed in', async () => {
    await go(writer, '/', 'home-anonymous');
    assert.match(await text(writer), /A place to read and write/);
    requests.get(writer)!.length = 0;
    await writer.getByRole('link', { name: 'Sign up' }).click();
    await settled(writer, 'register');
    await writer.getByLabel('Username').fill('alice');
    await writer.getByLabel('Email').fill('alice@example.com');
    await writer.getByLabel(/^Password/).fill('correct horse battery');
    await submit(writer, 'Sign up', 'registered');
    assert.match(await text(writer, 'body'), /Welcome to Quire, alice/);
    assert.equal(await writer.getByRole('link', { name: '@alice' }).count(), 1);
  });

  it('when she signs out and back in, then the header follows', async () => {
    await submit(writer, 'Sign out', 'signed-out');
    assert.equal(await writer.getByRole('link', { name: 'Sign in' }).count(), 1);
    assert.equal(await writer.getByRole('link', { name: '@alice' }).count(), 0);
    await go(writer, '/login', 'login');
    await writer.getByLabel('Email').fill('alice@example.com');
    await writer.getByLabel('Password').fill('wrong password');
    await submit(writer, 'Sign in', 'login-failed');
    assert.match(await text(writer), /Email or password is wrong/);
    assert.equal(await writer.getByLabel('Email').inputValue(), 'alice@example.com', 'the form keeps the email');
    await writer.getByLabel('Password').fill('correct horse battery');
    await submit(writer, 'Sign in', 'signed-in');
    assert.match(await text(writer, 'body'), /Welcome back, alice/);
  });

  it('when she writes an article with tags, then a preview and then the article are shown', async () => {
    await go(writer, '/editor', 'editor-new');
    await writer.getByLabel('Title').fill(`First ${word} post`);
    await writer.getByLabel('What is this article about?').fill('A journey through Quire');
    await writer.getByLabel('Article (markdown)').fill(`## Hello ${word}\n\nSome *markdown* and a [link](https://example.com).`);
    await writer.getByLabel('Tags, separated by commas').fill(`${tag}, journey`);
    await submit(writer, 'Preview', 'editor-preview');
    assert.equal(await writer.locator('.preview .article-body h2').innerText(), `Hello ${word}`);
    assert.equal(await writer.getByLabel('Title').inputValue(), `First ${word} post`);
    await submit(writer, 'Publish article', 'article');
    slug = decodeURIComponent(new URL(writer.url()).pathname.replace('/article/', ''));
    assert.equal(slug, `first-${word}-post`);
    assert.equal(await writer.locator('h1').innerText(), `First ${word} post`);
    assert.equal(await writer.locator('.article-body h2').innerText(), `Hello ${word}`);
    assert.equal(await writer.locator('.article-body a').getAttribute('rel'), 'nofollow noopener');
    assert.deepEqual(await writer.locator('article .tag-list .tag').allInnerTexts(), ['journey', tag]);
    assert.match(await text(writer, 'body'), /Article published/);
  });

  it('when anyone looks on the home, tag and author pages, then the article is listed', async () => {
    for (const [path, name] of [['/', 'home'], [`/tag/${tag}`, 'tag'], ['/@alice', 'author']] as const) {
      await go(reader, path, name);
      assert.equal(await reader.getByRole('link', { name: `First ${word} post` }).count(), 1, `${path} lists it`);
    }
    assert.equal(await reader.locator('.sidebar').count(), 0);
    await go(reader, '/', 'home-again');
    assert.ok((await reader.locator('.sidebar .tag').allInnerTexts()).includes(tag), 'popular tags name it');
  });

  it('when someone searches for a word of it, then it is found with the word highlighted', async () => {
    await reader.getByLabel('Search articles').fill(word);
    requests.get(reader)!.length = 0;
    await reader.getByRole('button', { name: 'Search', exact: true }).click();
    await settled(reader, 'search');
    assert.match(await text(reader), /1 article found/);
    assert.equal(await reader.locator('.article-preview h2 mark').innerText(), word);
  });

  it('when she edits the title, then the slug follows and the old address is gone', async () => {
    await go(writer, `/article/${slug}`, 'article-before-edit');
    requests.get(writer)!.length = 0;
    await writer.getByRole('link', { name: 'Edit article' }).first().click();
    await settled(writer, 'editor-edit');
    assert.equal(await writer.getByLabel('Tags, separated by commas').inputValue(), `journey, ${tag}`);
    await writer.getByLabel('Title').fill(`Renamed ${word} post`);
    await submit(writer, 'Update article', 'article-edited');
    slug = `renamed-${word}-post`;
    assert.equal(new URL(writer.url()).pathname, `/article/${slug}`);
    assert.equal(await writer.locator('h1').innerText(), `Renamed ${word} post`);
    const old = await go(reader, `/article/first-${word}-post`, 'old-slug-404');
    assert.equal(old.status(), 404);
    assert.match(await text(reader), /Page not found/);
  });

  it('when she comments, then the comment is shown under the article', async () => {
    await writer.getByLabel('Write a comment').fill(`A comment about ${word}`);
    await submit(writer, 'Post comment', 'commented');
    assert.match(await writer.locator('.comment-body').innerText(), new RegExp(`A comment about ${word}`));
    assert.match(await writer.locator('#comments-heading').innerText(), /Comments \(1\)/);
  });

  it('when a second account favourites the article and follows its author, then the feed shows it', async () => {
    await go(reader, '/register', 'reader-register');
    await reader.getByLabel('Username').fill('bob');
    await reader.getByLabel('Email').fill('bob@example.com');
    await reader.getByLabel(/^Password/).fill('another good password');
    await submit(reader, 'Sign up', 'reader-registered');
    await go(reader, '/?feed=following', 'reader-feed-empty');
    assert.match(await text(reader), /Nothing here yet/);
    await go(reader, `/article/${slug}`, 'reader-article');
    await submit(reader, /^Favourite 0$/, 'reader-favourited');
    assert.equal(await reader.getByRole('button', { name: 'Unfavourite 1' }).count(), 1);
    await submit(reader, 'Follow alice', 'reader-followed');
    assert.equal(await reader.getByRole('button', { name: 'Unfollow alice' }).count(), 1);
    await go(reader, '/?feed=following', 'reader-feed');
    assert.equal(await reader.getByRole('link', { name: `Renamed ${word} post` }).count(), 1);
    await go(reader, '/@bob/favorites', 'reader-favourites');
    assert.equal(await reader.getByRole('link', { name: `Renamed ${word} post` }).count(), 1);
  });

  it('when she deletes the comment and then the article, then both are gone', async () => {
    await go(writer, `/article/${slug}`, 'article-with-comment');
    await submit(writer, 'Delete comment', 'comment-deleted');
    assert.match(await text(writer, 'body'), /Comment deleted/);
    assert.equal(await writer.locator('.comment').count(), 0);
    requests.get(writer)!.length = 0;
    await writer.getByRole('link', { name: 'Delete article' }).click();
    await settled(writer, 'delete-confirm');
    assert.match(await text(writer), /will be gone for good/);
    await submit(writer, 'Yes, delete it', 'article-deleted');
    assert.equal(new URL(writer.url()).pathname, '/@alice');
    assert.match(await text(writer, 'body'), /Article deleted/);
    assert.match(await text(writer), /No articles yet/);
    const gone = await go(reader, `/article/${slug}`, 'deleted-404');
    assert.equal(gone.status(), 404);
  });

  it('when a page is asked for that does not exist, then the 404 page has the site layout', async () => {
    const res = await go(reader, '/no/such/page', 'not-found');
    assert.equal(res.status(), 404);
    assert.match(await text(reader), /There is nothing at this address/);
  });
});
