// The fragments site/fragments.ts writes in code instead of nunjucks, and the html`` they are written
// with: they must escape exactly as the templates' autoescape does, and the page date must read as
// Intl's en-GB long date in UTC would.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import nunjucks from 'nunjucks';
import { escapeHtml, html, raw, text, urlPart, Html } from '../core/html.js';
import { fragments, highlight, isoDateTime, longDate, pagination, tagList, type PreviewArticle } from './fragments.js';

const hostile = ['<script>alert(1)</script>', 'a"b\'c', 'c++ & go', 'naïve/x?y#z', '"><img src=x onerror=alert(1)>', 'back\\slash', 'plain'];

test('when text is escaped in code, then it reads exactly as nunjucks autoescape writes it', () => {
  const env = new nunjucks.Environment(null, { autoescape: true });
  for (const text of hostile) assert.equal(escapeHtml(text), env.renderString('{{ t }}', { t: text }), text);
});

test('when a value of each special kind is put into html``, then it is written as autoescape writes it', () => {
  for (const [char, entity] of [['&', '&amp;'], ['<', '&lt;'], ['>', '&gt;'], ['"', '&quot;'], ["'", '&#39;'], ['\\', '&#92;']]) {
    assert.equal(html`<b title="${char}">${char}</b>`.value, `<b title="${entity}">${entity}</b>`, char);
  }
  const env = new nunjucks.Environment(null, { autoescape: true });
  for (const text of hostile) assert.equal(html`<a title="${text}">${text}</a>`.value, env.renderString('<a title="{{ t }}">{{ t }}</a>', { t: text }), text);
});

test('when a plain string holds markup, then html`` escapes it: only raw() or another html`` passes as it is', () => {
  const markup: string = '<b>bold</b>';
  assert.equal(html`<p>${markup}</p>`.value, '<p>&lt;b&gt;bold&lt;/b&gt;</p>');
  assert.equal(html`<p>${raw(markup)}</p>`.value, '<p><b>bold</b></p>');
  assert.equal(html`<div>${html`<p>${'a & b'}</p>`}</div>`.value, '<div><p>a &amp; b</p></div>', 'a nested fragment is not escaped twice');
  assert.equal(text(markup).value, html`${markup}`.value, 'text() is html`` of one string');
  assert.ok(html`x` instanceof Html);
  assert.equal(`${html`<i>${'<'}</i>`}`, '<i>&lt;</i>', 'an Html reads as its markup');
});

test('when html`` is given arrays, numbers and nothing, then arrays are joined item by item, numbers written and nothing leaves nothing', () => {
  assert.equal(html`<ul>${['<a>', html`<li>${'&'}</li>`, raw('<hr>'), 3, [null, 'x"']]}</ul>`.value, '<ul>&lt;a&gt;<li>&amp;</li><hr>3x&quot;</ul>');
  assert.equal(html`<ul>${[]}</ul>`.value, '<ul></ul>');
  assert.equal(html`${0} ${-1.5} ${Number('x')}`.value, '0 -1.5 NaN');
  const shown = false;
  assert.equal(html`[${null}${undefined}${false}${shown && html`<b>shown</b>`}]`.value, '[]');
  assert.equal(html`[${!shown && html`<b>shown</b>`}]`.value, '[<b>shown</b>]');
  assert.equal(html``.value, '');
});

test('when a path segment is put into html``, then it is encoded and escaped once, not twice', () => {
  assert.equal(html`<a href="/@${urlPart('o\'neil<')}">`.value, '<a href="/@o&#39;neil%3C">');
  assert.equal(html`<a href="/tag/${urlPart('plain-tag_1.x~')}">`.value, '<a href="/tag/plain-tag_1.x~">');
});

test('when a date is shown on a page, then it reads as en-GB "day month year" in UTC', () => {
  const intl = new Intl.DateTimeFormat('en-GB', { day: 'numeric', month: 'long', year: 'numeric', timeZone: 'UTC' });
  const moments = [0, Date.UTC(2024, 1, 29, 12), Date.UTC(2026, 10, 25, 23, 59, 59), Date.UTC(1999, 11, 31, 23, 59, 59, 999), -1e11];
  for (let ms = Date.UTC(2025, 0, 1); ms < Date.UTC(2026, 0, 1); ms += 86_400_000 * 7 + 3_600_000) moments.push(ms);
  for (const ms of moments) assert.equal(longDate(ms), intl.format(new Date(ms)), new Date(ms).toISOString());
});

test('when a moment is written for a datetime attribute, then it reads exactly as toISOString, in every year', () => {
  const moments = [0, -1, 1, Date.UTC(2024, 1, 29, 23, 59, 59, 999), Date.UTC(9999, 11, 31, 23, 59, 59, 999), Date.UTC(10000, 0, 1), -62198755200000, -62198755200001, 8.64e15, -8.64e15];
  for (let ms = -1e11; ms < 4e12; ms += 7_777_777_777 + 123) moments.push(ms);
  for (const ms of moments) assert.equal(isoDateTime(ms), new Date(ms).toISOString(), String(ms));
});

test('when tags hold markup, quotes or URL characters, then the tag list escapes the text and encodes the link', () => {
  assert.equal(String(tagList(hostile.slice(0, 4))), '<ul class="tag-list" aria-label="Tags">'
    + '<li><a class="tag" href="/tag/%3Cscript%3Ealert(1)%3C%2Fscript%3E">&lt;script&gt;alert(1)&lt;/script&gt;</a></li>'
    + '<li><a class="tag" href="/tag/a%22b&#39;c">a&quot;b&#39;c</a></li>'
    + '<li><a class="tag" href="/tag/c%2B%2B%20%26%20go">c++ &amp; go</a></li>'
    + '<li><a class="tag" href="/tag/na%C3%AFve%2Fx%3Fy%23z">naïve/x?y#z</a></li></ul>');
  assert.equal(String(tagList([])), '');
});

test('when a search word is marked, then the text around and inside the marks is escaped and regex characters match literally', () => {
  assert.equal(String(highlight('A <b>bold</b> c++ move', 'c++')), 'A &lt;b&gt;bold&lt;/b&gt; <mark>c++</mark> move');
  assert.equal(String(highlight('Koa and koa', 'KOA')), '<mark>Koa</mark> and <mark>koa</mark>');
  assert.equal(String(highlight('x < y', '')), 'x &lt; y');
});

const { avatar, byline, favoriteButton, followButton, articleList } = fragments((file) => `${file}?v=1`);

test('when a template shows an avatar, then a missing image falls back to the default and a given one is escaped', () => {
  assert.equal(String(avatar({ image: null }, 24)), '<img class="avatar" src="/img/avatar.svg?v=1" alt="" width="24" height="24" loading="lazy">');
  assert.equal(String(avatar({ image: 'https://x.test/a.png?s=1&t="><script>' })),
    '<img class="avatar" src="https://x.test/a.png?s=1&amp;t=&quot;&gt;&lt;script&gt;" alt="" width="32" height="32" loading="lazy">');
});

const article: PreviewArticle = {
  slug: 'a/b "c"', title: '<i>Title</i> & more', description: 'About <script>', tagList: ['x&y'],
  createdAt: Date.UTC(2026, 10, 25, 12), favorited: false, favoritesCount: 3,
  author: { username: 'o\'neil<', image: null },
};

test('when a list of articles is written, then every field from the writer is escaped and every link encoded', () => {
  const html = String(articleList([article], undefined, 'none'));
  assert.ok(!/<(i|script)>/.test(html), html);
  for (const fragment of [
    '<a href="/article/a%2Fb%20%22c%22">&lt;i&gt;Title&lt;/i&gt; &amp; more</a>',
    '<p class="description">About &lt;script&gt;</p>',
    '<a class="author" href="/@o&#39;neil%3C">o&#39;neil&lt;</a>',
    '<time datetime="2026-11-25T12:00:00.000Z">25 November 2026</time>',
    '<a class="tag" href="/tag/x%26y">x&amp;y</a>',
    '<span class="favorites-count"><span aria-hidden="true">&hearts;</span> 3 ',
  ]) assert.ok(html.includes(fragment), `${fragment} in ${html}`);
  assert.ok(!html.includes('<form'), 'no favourite form without a signed-in reader');
  assert.equal(String(articleList([], undefined, 'No articles match “<b>”.')), '<p class="empty">No articles match “&lt;b&gt;”.</p>');
});

test('when a signed-in reader sees a list, then each article has a favourite form carrying one token and the page to return to', () => {
  let asked = 0;
  const html = String(articleList([article, { ...article, slug: 'second', favorited: true }], { csrf: () => { asked++; return 't"k'; }, back: '/?page=2&x="' }, 'none'));
  assert.equal(asked, 1, 'the token is asked for once per list');
  assert.equal(html.match(/<form /g)?.length, 2);
  for (const fragment of [
    'action="/article/a%2Fb%20%22c%22/favorite"',
    'action="/article/second/unfavorite"',
    '<input type="hidden" name="_csrf" value="t&quot;k">',
    '<input type="hidden" name="back" value="/?page=2&amp;x=&quot;">',
    'class="button button-solid" aria-pressed="true"',
    'class="button button-outline" aria-pressed="false"',
  ]) assert.ok(html.includes(fragment), `${fragment} in ${html}`);
  assert.equal(String(favoriteButton(article, undefined, '/')), '<span class="favorites-count"><span aria-hidden="true">&hearts;</span> 3 <span class="visually-hidden">favourites</span></span>');
  assert.ok(String(byline(article)).startsWith('<div class="byline"><img class="avatar" src="/img/avatar.svg?v=1"'));
});

test('when a list spans pages, then the pager links newer, a window of numbers and older, with its hrefs escaped', () => {
  const pager = { page: 2, pages: 3, prev: '/search?q=a%22b&x=1', next: '/search?q=a%22b&page=3', items: [
    { n: 1, href: '/search?q=a%22b', current: false }, { n: 2, href: '/search?q=a%22b&page=2', current: true }, { n: 3, href: '/search?q=a%22b&page=3', current: false },
  ] };
  assert.equal(String(pagination(pager)), '<nav class="pager" aria-label="Pages">\n<ul>'
    + '<li><a href="/search?q=a%22b&amp;x=1" rel="prev">&larr; Newer</a></li>'
    + '<li><a href="/search?q=a%22b">1</a></li><li><span aria-current="page">2</span></li><li><a href="/search?q=a%22b&amp;page=3">3</a></li>'
    + '<li><a href="/search?q=a%22b&amp;page=3" rel="next">Older &rarr;</a></li></ul>\n</nav>');
  assert.equal(String(pagination({ page: 1, pages: 1, items: [{ n: 1, href: '/', current: true }] })), '');
});

test('when a signed-in reader sees a writer, then the follow form reads exactly as the nunjucks macro it replaces wrote it', () => {
  // The macro as it was in views/partials/forms.njk, less the newline either side of its form.
  const env = new nunjucks.Environment(null, { autoescape: true });
  env.addFilter('urlPart', (s: string) => encodeURIComponent(s));
  const macro = '<form class="inline-form" action="/@{{ profile.username | urlPart }}/{{ \'unfollow\' if profile.following else \'follow\' }}" method="post">\n'
    + '  <input type="hidden" name="_csrf" value="{{ csrf() }}">\n'
    + '  <input type="hidden" name="back" value="{{ back }}">\n'
    + '  <button type="submit" class="button button-outline">{{ \'Unfollow\' if profile.following else \'Follow\' }} {{ profile.username }}</button>\n'
    + '</form>';
  for (const username of hostile) {
    for (const following of [true, false, undefined]) {
      const profile = { username, following };
      const back = `/@${username}?page=2&x="`;
      assert.equal(String(followButton(profile, 't"k<', back)), env.renderString(macro, { profile, csrf: () => 't"k<', back }), `${username} ${following}`);
    }
  }
  assert.ok(String(followButton({ username: 'alice', following: true }, 't', '/')).includes('>Unfollow alice</button>'));
});
