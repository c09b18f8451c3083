// The fragments every list repeats, written in code rather than nunjucks: an article's preview, its
// byline and favourite button, a tag list, an avatar, the pager. A macro call or loop turn per item cost more
// than the page's SQL (the 20-article home page rendered in ~250 µs, ~80 µs this way). Every value is
// escaped here as the templates' autoescape does, with the same entities, so a page reads the same
// whichever wrote it.
import nunjucks from 'nunjucks';
import { escapeHtml, urlPart } from '../core/html.js';
import type { Pager } from './paging.js';

/** Markup a template prints as it is (nunjucks' SafeString). */
export const safe = (html: string): nunjucks.runtime.SafeString => new nunjucks.runtime.SafeString(html);

const MONTHS = ['January', 'February', 'March', 'April', 'May', 'June', 'July', 'August', 'September', 'October', 'November', 'December'];

/** "25 November 2026", in UTC. Written out rather than Intl.DateTimeFormat, whose locale data costs each worker about 5 MB. */
export function longDate(ms: number): string {
  const d = new Date(ms);
  return `${d.getUTCDate()} ${MONTHS[d.getUTCMonth()]} ${d.getUTCFullYear()}`;
}

const two = (n: number) => (n < 10 ? `0${n}` : `${n}`);
const three = (n: number) => (n < 10 ? `00${n}` : n < 100 ? `0${n}` : `${n}`);

/** The moment as Date.prototype.toISOString writes it, for years 0–9999: half the time of the builtin, once per article in a list. */
export function isoDateTime(ms: number): string {
  const d = new Date(ms);
  const year = d.getUTCFullYear();
  if (year < 0 || year > 9999) return d.toISOString();
  return `${String(year).padStart(4, '0')}-${two(d.getUTCMonth() + 1)}-${two(d.getUTCDate())}T${two(d.getUTCHours())}:${two(d.getUTCMinutes())}:${two(d.getUTCSeconds())}.${three(d.getUTCMilliseconds())}Z`;
}

/** Escapes text, then wraps every case-insensitive occurrence of query in <mark>. */
export function highlight(text: unknown, query: unknown): string {
  const source = String(text ?? '');
  const q = typeof query === 'string' ? query.trim() : '';
  if (!q) return escapeHtml(source);
  const pattern = new RegExp(`(${q.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')})`, 'giu');
  return source.split(pattern).map((part, i) => (i % 2 === 1 ? `<mark>${escapeHtml(part)}</mark>` : escapeHtml(part))).join('');
}

/** A list of links to each tag's page, or nothing when there are no tags. */
export function tagList(tags: string[], label = 'Tags'): string {
  if (!tags?.length) return '';
  let items = '';
  for (const tag of tags) items += `<li><a class="tag" href="/tag/${urlPart(tag)}">${escapeHtml(tag)}</a></li>`;
  return `<ul class="tag-list" aria-label="${escapeHtml(label)}">${items}</ul>`;
}

/** The links under a list: newer, a window of page numbers, older; nothing for a single page. */
export function pagination(pager: Pager): string {
  if (pager.pages <= 1) return '';
  let items = pager.prev ? `<li><a href="${escapeHtml(pager.prev)}" rel="prev">&larr; Newer</a></li>` : '';
  for (const item of pager.items) {
    items += item.current ? `<li><span aria-current="page">${item.n}</span></li>` : `<li><a href="${escapeHtml(item.href)}">${item.n}</a></li>`;
  }
  if (pager.next) items += `<li><a href="${escapeHtml(pager.next)}" rel="next">Older &rarr;</a></li>`;
  return `<nav class="pager" aria-label="Pages">\n<ul>${items}</ul>\n</nav>`;
}

/** What a preview shows of an article (the service's ArticleSummary has it all). */
export interface PreviewArticle {
  slug: string;
  title: string;
  description: string;
  tagList: string[];
  createdAt: number;
  favorited: boolean;
  favoritesCount: number;
  author: { username: string; image?: string | null };
}

/** The signed-in reader's side of a list: favourite buttons post a form back to the page. */
export interface Reader {
  /** The CSRF token for the forms, asked for only when there is a signed-in reader. */
  csrf: () => string;
  /** Where a favourite button returns to. */
  back: string;
}

/** The fragments that need the site's asset URLs (the default avatar is fingerprinted). */
export function fragments(asset: (file: string) => string) {
  const defaultAvatar = escapeHtml(asset('/img/avatar.svg'));

  /** A profile's picture (the default avatar when it has none), size × size pixels. */
  const avatar = (profile: { image?: string | null }, size = 32) => {
    const src = profile.image ? escapeHtml(profile.image) : defaultAvatar;
    const px = Number(size);
    return `<img class="avatar" src="${src}" alt="" width="${px}" height="${px}" loading="lazy">`;
  };

  /** The author's avatar and name, and the day it was written. */
  const byline = (article: PreviewArticle) => `<div class="byline">${avatar(article.author)}<div>`
    + `<a class="author" href="/@${urlPart(article.author.username)}">${escapeHtml(article.author.username)}</a>`
    + `<time datetime="${isoDateTime(article.createdAt)}">${longDate(article.createdAt)}</time></div></div>`;

  /** A form that (un)favourites the article for a signed-in reader given a token; the count alone for anyone else. */
  const favoriteButton = (article: PreviewArticle, token: string | undefined, back: string) => {
    const count = Number(article.favoritesCount);
    if (token === undefined) {
      return `<span class="favorites-count"><span aria-hidden="true">&hearts;</span> ${count} <span class="visually-hidden">favourites</span></span>`;
    }
    const on = article.favorited;
    return `<form class="inline-form" action="/article/${urlPart(article.slug)}/${on ? 'unfavorite' : 'favorite'}" method="post">`
      + `<input type="hidden" name="_csrf" value="${escapeHtml(token)}">`
      + `<input type="hidden" name="back" value="${escapeHtml(back)}">`
      + `<button type="submit" class="button ${on ? 'button-solid' : 'button-outline'}" aria-pressed="${on}">`
      + `<span aria-hidden="true">&hearts;</span> ${on ? 'Unfavourite' : 'Favourite'} <span class="count">${count}</span></button></form>`;
  };

  /** The previews of a page of articles, with query's words marked; empty when there are none. */
  const articleList = (articles: PreviewArticle[], reader: Reader | undefined, empty: string, query = '') => {
    if (!articles.length) return `<p class="empty">${escapeHtml(empty)}</p>`;
    const token = reader?.csrf();
    const back = reader?.back ?? '';
    let html = '';
    for (const article of articles) {
      html += `<article class="article-preview">\n<div class="preview-meta">${byline(article)}${favoriteButton(article, token, back)}</div>\n`
        + `<h2><a href="/article/${urlPart(article.slug)}">${highlight(article.title, query)}</a></h2>\n`
        + `<p class="description">${highlight(article.description, query)}</p>\n`
        + `${tagList(article.tagList)}\n</article>\n`;
    }
    return html;
  };

  return { avatar, byline, favoriteButton, articleList };
}
