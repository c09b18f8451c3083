// The fragments every list repeats, written in code rather than nunjucks: an article's preview, its
// byline, favourite and follow buttons, a tag list, an avatar, the pager. A macro call or loop turn per
// item cost more than the page's SQL (docs/decisions/20-html-fragments.md). Each is an html`` template,
// so every value is escaped as the templates' autoescape does, with the same entities, unless it is
// markup already (docs/decisions/20-html-template.md).
import { html, raw, text, urlPart, type Html } from '../core/html.js';
import type { Pager } from './paging.js';

const MONTHS = ['January', 'February', 'March', 'April', 'May', 'June', 'July', 'August', 'September', 'October', 'November', 'December'];

const long = (d: Date) => `${d.getUTCDate()} ${MONTHS[d.getUTCMonth()]} ${d.getUTCFullYear()}`;

/** "25 November 2026", in UTC. Written out rather than Intl.DateTimeFormat, whose locale data every worker would load (docs/decisions/20-idle-memory.md). */
export const longDate = (ms: number): string => long(new Date(ms));

const two = (n: number) => (n < 10 ? `0${n}` : `${n}`);
const three = (n: number) => (n < 10 ? `00${n}` : n < 100 ? `0${n}` : `${n}`);

function iso(d: Date): string {
  const year = d.getUTCFullYear();
  if (year < 0 || year > 9999) return d.toISOString();
  return `${String(year).padStart(4, '0')}-${two(d.getUTCMonth() + 1)}-${two(d.getUTCDate())}T${two(d.getUTCHours())}:${two(d.getUTCMinutes())}:${two(d.getUTCSeconds())}.${three(d.getUTCMilliseconds())}Z`;
}

/** The moment as Date.prototype.toISOString writes it, for years 0–9999: cheaper than the builtin, once per article in a list (docs/decisions/20-html-fragments.md). */
export const isoDateTime = (ms: number): string => iso(new Date(ms));

const none = raw('');

/** Escapes text, then wraps every case-insensitive occurrence of query in <mark>. */
export function highlight(words: unknown, query: unknown): Html {
  const source = String(words ?? '');
  const q = typeof query === 'string' ? query.trim() : '';
  if (!q) return text(source);
  const pattern = new RegExp(`(${q.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')})`, 'giu');
  return html`${source.split(pattern).map((part, i) => (i % 2 === 1 ? html`<mark>${part}</mark>` : part))}`;
}

/** A list of links to each tag's page, or nothing when there are no tags. */
export function tagList(tags: string[], label = 'Tags'): Html {
  if (!tags?.length) return none;
  return html`<ul class="tag-list" aria-label="${label}">${tags.map((tag) => html`<li><a class="tag" href="/tag/${urlPart(tag)}">${tag}</a></li>`)}</ul>`;
}

/** The links under a list: newer, a window of page numbers, older; nothing for a single page. */
export function pagination(pager: Pager): Html {
  if (pager.pages <= 1) return none;
  const prev = pager.prev && html`<li><a href="${pager.prev}" rel="prev">&larr; Newer</a></li>`;
  const next = pager.next && html`<li><a href="${pager.next}" rel="next">Older &rarr;</a></li>`;
  const items = pager.items.map((item) => (item.current
    ? html`<li><span aria-current="page">${item.n}</span></li>`
    : html`<li><a href="${item.href}">${item.n}</a></li>`));
  return html`<nav class="pager" aria-label="Pages">\n<ul>${prev}${items}${next}</ul>\n</nav>`;
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

/** The favourite button's words in each state: ours, markup as they are, so four per article are not tested for escaping. */
const favoriteOn = { action: raw('unfavorite'), look: raw('button-solid'), pressed: raw('true'), label: raw('Unfavourite') };
const favoriteOff = { action: raw('favorite'), look: raw('button-outline'), pressed: raw('false'), label: raw('Favourite') };

/** A writer a follow button is for: the reader follows them or not. */
export interface FollowedProfile {
  username: string;
  following?: boolean;
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
  const defaultAvatar = html`${asset('/img/avatar.svg')}`;

  /** A profile's picture (the default avatar when it has none), size × size pixels. */
  const avatar = (profile: { image?: string | null }, size = 32) => {
    const px = Number(size);
    return html`<img class="avatar" src="${profile.image || defaultAvatar}" alt="" width="${px}" height="${px}" loading="lazy">`;
  };

  /** The author's avatar and name, and the day it was written. */
  const byline = ({ author, createdAt }: PreviewArticle) => {
    // Both forms of the date are digits, month names and punctuation: raw() spares testing two strings just built.
    const d = new Date(createdAt);
    return html`<div class="byline">${avatar(author)}<div><a class="author" href="/@${urlPart(author.username)}">${author.username}</a><time datetime="${raw(iso(d))}">${raw(long(d))}</time></div></div>`;
  };

  /** A form that (un)favourites the article for a signed-in reader given a token; the count alone for anyone else. */
  const favoriteButton = (article: PreviewArticle, token: string | undefined, back: string) => {
    const count = Number(article.favoritesCount);
    if (token === undefined) {
      return html`<span class="favorites-count"><span aria-hidden="true">&hearts;</span> ${count} <span class="visually-hidden">favourites</span></span>`;
    }
    const { action, look, pressed, label } = article.favorited ? favoriteOn : favoriteOff;
    return html`<form class="inline-form" action="/article/${urlPart(article.slug)}/${action}" method="post"><input type="hidden" name="_csrf" value="${token}"><input type="hidden" name="back" value="${back}"><button type="submit" class="button ${look}" aria-pressed="${pressed}"><span aria-hidden="true">&hearts;</span> ${label} <span class="count">${count}</span></button></form>`;
  };

  /** A form that (un)follows the writer for a signed-in reader, then goes back to the page it was on. */
  const followButton = (profile: FollowedProfile, token: string, back: string) => {
    const on = Boolean(profile.following);
    return html`<form class="inline-form" action="/@${urlPart(profile.username)}/${on ? 'unfollow' : 'follow'}" method="post">
  <input type="hidden" name="_csrf" value="${token}">
  <input type="hidden" name="back" value="${back}">
  <button type="submit" class="button button-outline">${on ? 'Unfollow' : 'Follow'} ${profile.username}</button>
</form>`;
  };

  /** The previews of a page of articles, with query's words marked; empty when there are none. */
  const articleList = (articles: PreviewArticle[], reader: Reader | undefined, empty: string, query = '') => {
    if (!articles.length) return html`<p class="empty">${empty}</p>`;
    const token = reader?.csrf();
    const back = reader?.back ?? '';
    return html`${articles.map((article) => html`<article class="article-preview">
<div class="preview-meta">${byline(article)}${favoriteButton(article, token, back)}</div>
<h2><a href="/article/${urlPart(article.slug)}">${highlight(article.title, query)}</a></h2>
<p class="description">${highlight(article.description, query)}</p>
${tagList(article.tagList)}
</article>
`)}`;
  };

  return { avatar, byline, favoriteButton, followButton, articleList };
}
