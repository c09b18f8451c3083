// The fragments render.ts writes in code instead of nunjucks: the page date (spares each worker the
// locale data: it must read exactly as Intl's en-GB long date in UTC would), the tag list and the
// avatar (faster than a loop or a macro: they must escape as the templates did).
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { avatarOf, longDate, tagList } from './render.js';

test('when a date is shown on a page, then it reads as en-GB "day month year" in UTC', () => {
  const intl = new Intl.DateTimeFormat('en-GB', { day: 'numeric', month: 'long', year: 'numeric', timeZone: 'UTC' });
  const moments = [0, Date.UTC(2024, 1, 29, 12), Date.UTC(2026, 10, 25, 23, 59, 59), Date.UTC(1999, 11, 31, 23, 59, 59, 999), -1e11];
  for (let ms = Date.UTC(2025, 0, 1); ms < Date.UTC(2026, 0, 1); ms += 86_400_000 * 7 + 3_600_000) moments.push(ms);
  for (const ms of moments) assert.equal(longDate(ms), intl.format(new Date(ms)), new Date(ms).toISOString());
});

test('when tags hold markup, quotes or URL characters, then the tag list escapes the text and encodes the link', () => {
  const html = String(tagList(['<script>alert(1)</script>', 'a"b\'c', 'c++ & go', 'naïve/x?y#z']));
  assert.equal(html, '<ul class="tag-list" aria-label="Tags">'
    + '<li><a class="tag" href="/tag/%3Cscript%3Ealert(1)%3C%2Fscript%3E">&#60;script&#62;alert(1)&#60;/script&#62;</a></li>'
    + '<li><a class="tag" href="/tag/a%22b&#39;c">a&#34;b&#39;c</a></li>'
    + '<li><a class="tag" href="/tag/c%2B%2B%20%26%20go">c++ &#38; go</a></li>'
    + '<li><a class="tag" href="/tag/na%C3%AFve%2Fx%3Fy%23z">naïve/x?y#z</a></li></ul>');
  assert.equal(String(tagList([])), '');
});

test('when a template shows an avatar, then a missing image falls back to the default and a given one is escaped', () => {
  const avatar = avatarOf((file) => `${file}?v=1`);
  assert.equal(String(avatar({ image: null }, 24)), '<img class="avatar" src="/img/avatar.svg?v=1" alt="" width="24" height="24" loading="lazy">');
  assert.equal(String(avatar({ image: 'https://x.test/a.png?s=1&t="><script>' })),
    '<img class="avatar" src="https://x.test/a.png?s=1&#38;t=&#34;&#62;&#60;script&#62;" alt="" width="32" height="32" loading="lazy">');
});
