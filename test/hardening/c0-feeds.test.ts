// C0 control characters in what people write (titles, descriptions, tags, names, bios) are
// dropped on the way in, so /feed.xml and /sitemap.xml stay well-formed XML; a row stored before
// that rule still cannot break them.
import { spawnSync } from 'node:child_process';
import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { apiClient } from '../../support/client.js';
import { startTestServer, type TestServer } from '../../support/server.js';
import { serviceMissing } from '../../support/services.js';

// Every C0 control but tab, LF and CR (which XML 1.0 allows), and the two non-characters it forbids.
// eslint-disable-next-line no-control-regex -- finding control characters is the point
const NOT_XML = /[\u0000-\u0008\u000b\u000c\u000e-\u001f\ufffe\uffff]/;
// One of each: NUL, BEL, backspace, vertical tab, form feed, ESC, unit separator, U+FFFF.
const JUNK = '\u0000\u0007\u0008\u000b\u000c\u001b\u001f\uffff';

const xmllint = spawnSync('xmllint', ['--version']).error
  ? serviceMissing('xmllint is not installed (apt-get install libxml2-utils); the feed tests need a strict XML parser')
  : undefined;

/** A strict XML 1.0 parse by libxml2: fails the test with the parser's own message. */
function assertWellFormedXml(text: string, what: string) {
  assert.doesNotMatch(text, NOT_XML, `${what} holds a character XML cannot carry`);
  const lint = spawnSync('xmllint', ['--noout', '-'], { input: text, encoding: 'utf8' });
  assert.equal(lint.status, 0, `${what} is not well-formed XML:\n${lint.stderr}`);
}

describe('control characters', { skip: xmllint }, () => {
  let server: TestServer;
  let token: string;
  const api = () => apiClient(server.url);

  before(async () => {
    server = await startTestServer('sqlite');
    ({ token } = await api().register('c0_writer'));
  });
  after(async () => { await server.close(); });

  it('when an article\'s title, description and tags carry C0 controls, then they are stripped and the feed and sitemap parse as XML', async () => {
    const res = await api().post('/articles', { article: {
      title: `Bell${JUNK} title\t\n`, description: `First line${JUNK}\nsecond\tline`,
      body: `Body keeps\ttabs\nand newlines${JUNK}`, tagList: [`t${JUNK}ag`, `ok\ttag`],
    } }, token);
    assert.equal(res.status, 201, res.text);
    const { article } = res.body;
    assert.equal(article.title, 'Bell title');
    assert.equal(article.description, 'First line\nsecond\tline', 'a multi-line field keeps newline and tab');
    assert.equal(article.body, 'Body keeps\ttabs\nand newlines', 'the body keeps newline and tab');
    assert.deepEqual([...article.tagList].sort(), ['ok tag', 'tag'], 'in a one-line field a tab becomes a space');

    const feed = await fetch(`${server.url}/feed.xml`);
    assert.equal(feed.status, 200);
    const xml = await feed.text();
    assert.match(xml, /<title>Bell title<\/title>/);
    assertWellFormedXml(xml, '/feed.xml');
    assertWellFormedXml(await (await fetch(`${server.url}/sitemap.xml`)).text(), '/sitemap.xml');
  });

  it('when a bio carries C0 controls, then they are stripped; a username with one is refused, never stored', async () => {
    const refused = await api().post('/users', { user: { username: `c0${JUNK}_named`, email: 'c0named@example.com', password: 'password123' } });
    assert.equal(refused.status, 422, refused.text);
    assert.ok(refused.body.errors.username, refused.text);
    assert.equal((await api().put('/user', { user: { username: `c0\u0007_renamed` } }, token)).status, 422);
    const update = await api().put('/user', { user: { bio: `Two${JUNK}\nlines\tand a tab` } }, token);
    assert.equal(update.status, 200, update.text);
    assert.equal(update.body.user.bio, 'Two\nlines\tand a tab');
  });

  it('when a tag filter carries the controls a stored tag lost, then it still finds the tag', async () => {
    const res = await api().post('/articles', { article: { title: 'Filtered', description: 'd', body: 'b', tagList: [`fil${JUNK}ter`] } }, token);
    assert.equal(res.status, 201, res.text);
    assert.deepEqual(res.body.article.tagList, ['filter']);
    const list = await api().get(`/articles?tag=${encodeURIComponent(`fil${JUNK}ter`)}`);
    assert.deepEqual(list.body.articles.map((a: { title: string }) => a.title), ['Filtered']);
  });

  it('when a title or a tag is only control characters, then it is blank (422)', async () => {
    const res = await api().post('/articles', { article: { title: JUNK, description: 'd', body: 'b', tagList: [JUNK] } }, token);
    assert.equal(res.status, 422);
    assert.deepEqual(res.body.errors.title, ["can't be blank"]);
    assert.ok(res.body.errors.tagList, res.text);
  });

  it('when a row stored before the rule holds controls, then the feed still parses as XML', async () => {
    const res = await api().post('/articles', { article: { title: 'Old row', description: 'd', body: 'b', tagList: ['old'] } }, token);
    assert.equal(res.status, 201, res.text);
    const { db } = server.deps.database;
    await db.updateTable('articles').set({ title: `Old${JUNK} row`, description: `Old${JUNK} description` })
      .where('slug', '=', res.body.article.slug).execute();
    await db.updateTable('article_tags').set({ tag: `ol${JUNK}d` }).where('tag', '=', 'old').execute();
    await db.updateTable('articles').set({ tag_list: JSON.stringify([`ol${JUNK}d`]) }).where('slug', '=', res.body.article.slug).execute();
    await db.updateTable('users').set({ username: `c0${JUNK}_writer` }).where('username', '=', 'c0_writer').execute();

    const xml = await (await fetch(`${server.url}/feed.xml`)).text();
    assert.match(xml, /<title>Old row<\/title>/, 'the stored row is in this feed');
    assertWellFormedXml(xml, '/feed.xml');
  });
});
