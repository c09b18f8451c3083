// The response cache's key for one request, and the one query string a cached route is rendered
// from: only the parameters that route reads, in a fixed order, each value in the form the route
// normalises it to (page=01, page=junk and no page are one page). The cache renders a miss from this
// query (cache/response-cache.ts), so two URLs with one key can never render differently. A route
// reads only the params this table declares for it: src/cache/README.md, rule 3.
import type { IncomingMessage } from 'node:http';

/** A parameter a route reads, and the values it stands for: none when the route reads it as absent (its default). */
interface Param {
  name: string;
  canonical(values: string[]): string[];
}

/** One value as the route reads it: koa's ctx.query gives an array for a repeated name, which these routes treat as absent. */
const single = (values: string[]) => (values.length === 1 ? values[0] : undefined);

/** ?page=N on HTML lists (site/paging.ts pageOf): a whole number 1–100 000 as Number() reads it, anything else is page 1. */
const page: Param = {
  name: 'page',
  canonical(values) {
    const raw = single(values);
    const n = raw === undefined ? 1 : Number(raw);
    return Number.isInteger(n) && n > 1 && n <= 100_000 ? [String(n)] : [];
  },
};

/** A parameter passed on as the route gets it (every value, in order), for what it validates itself: a bad one is a 4xx, never kept. */
const verbatim = (name: string): Param => ({ name, canonical: (values) => values });

/** limit/offset of the API (article.routes.ts paging): digits only, leading zeros dropped; the default is the same as none. */
const apiInt = (name: string, fallback: number): Param => ({
  name,
  canonical(values) {
    const raw = single(values);
    if (values.length === 0 || raw === '') return [];
    const digits = raw?.replace(/^0+(?=\d)/, '');
    if (digits === undefined || !/^\d{1,12}$/.test(digits)) return values; // the route's 422, as sent
    const n = Number(digits);
    return n === fallback ? [] : [String(n)];
  },
});

/** The home page reads ?feed=following (a signed-in reader's feed; an anonymous one is sent to sign in), nothing else. */
const feed: Param = { name: 'feed', canonical: (values) => (single(values) === 'following' ? ['following'] : []) };

/** /search?q=: trimmed and cut at 200 characters, as the page does; blank is no search. */
const searchQ: Param = {
  name: 'q',
  canonical(values) {
    const q = single(values)?.trim().slice(0, 200);
    return q ? [q] : [];
  },
};

export interface CachedRoute {
  pattern: RegExp;
  /** The parameters the route reads, in the order they appear in the key. */
  params: Param[];
  /** Kept from the first request; otherwise only once the route has opted in (ctx.state.cacheable, as rendered pages do). */
  always: boolean;
}

/** Every route the cache keeps, or may keep once it opts in. */
const routes: CachedRoute[] = [
  { pattern: /^\/$/, params: [feed, page], always: true },
  { pattern: /^\/tag\/[^/]+$/, params: [page], always: true },
  { pattern: /^\/search$/, params: [searchQ, page], always: false },
  // ?page=N of its comments (article.pages.ts).
  { pattern: /^\/article\/[^/]+$/, params: [page], always: true },
  { pattern: /^\/@[^/]+(\/favorites)?$/, params: [page], always: true },
  { pattern: /^\/(feed|sitemap)\.xml$/, params: [], always: true },
  { pattern: /^\/api\/articles$/, params: ['tag', 'author', 'favorited', 'q'].map(verbatim).concat(apiInt('limit', 20), apiInt('offset', 0)), always: true },
  { pattern: /^\/api\/articles\/(?!feed$)[^/]+$/, params: [], always: true },
  { pattern: /^\/api\/articles\/[^/]+\/comments$/, params: [], always: true },
  { pattern: /^\/api\/tags$/, params: [], always: true },
  { pattern: /^\/api\/profiles\/[^/]+$/, params: [], always: true },
];

/** path's entry in the table, or undefined for a path it does not know (such a route's query is kept whole). */
export function cachedRoute(path: string): CachedRoute | undefined {
  return routes.find((route) => route.pattern.test(path));
}

/** The query string a request to route with this query is rendered from and keyed by ('' for none). */
export function canonicalQuery(route: CachedRoute | undefined, query: string): string {
  if (!route) return query;
  if (!route.params.length || !query) return '';
  const parsed = new URLSearchParams(query);
  const out = new URLSearchParams();
  // A repeated parameter the route validates is passed on repeated, so the route answers it as it would have.
  for (const param of route.params) for (const value of param.canonical(parsed.getAll(param.name))) out.append(param.name, value);
  return out.toString();
}

/** path and query string of a request's URL, as Koa splits them. */
export function splitUrl(url: string): [string, string] {
  const q = url.indexOf('?');
  return q === -1 ? [url, ''] : [url.slice(0, q), url.slice(q + 1)];
}

/**
 * What a cached response varies by: scheme and host (feeds and the sitemap build absolute links from
 * them, through a trusted proxy's X-Forwarded-*, so a forged Host can only ever fill its own entry),
 * the path and its canonical query, and the Accept and Origin headers. `trusted` says whether
 * X-Forwarded-* may be read: inside Koa, forwarded-headers has already dropped them from anyone but
 * a trusted proxy.
 */
export function cacheKey(req: IncomingMessage, trusted: boolean): string {
  const h = req.headers;
  const scheme = (req.socket as { encrypted?: boolean }).encrypted ? 'https' : 'http';
  const forwarded = trusted ? `${h['x-forwarded-proto'] ?? ''}\n${h['x-forwarded-host'] ?? ''}` : '\n';
  const [path, query] = splitUrl(req.url ?? '/');
  const canonical = query ? canonicalQuery(cachedRoute(path), query) : '';
  return `${scheme}\n${forwarded}\n${h.host ?? ''}\n${path}${canonical ? `?${canonical}` : ''}\n${h.accept ?? ''}\n${h.origin ?? ''}`;
}
