// ?page=N for HTML lists: the page asked for, and the links a pager shows (keeping other query
// parameters such as ?feed= and ?q=).
import type { AppContext } from '../core/state.js';

export interface Pager {
  page: number;
  pages: number;
  prev?: string;
  next?: string;
  items: { n: number; href: string; current: boolean }[];
}

/** ?page=N as a page number (1 when absent or nonsense), with the list's limit and offset. */
export function pageOf(ctx: AppContext, perPage: number): { page: number; limit: number; offset: number } {
  const raw = typeof ctx.query.page === 'string' ? Number(ctx.query.page) : 1;
  const page = Number.isInteger(raw) && raw >= 1 && raw <= 100_000 ? raw : 1;
  return { page, limit: perPage, offset: (page - 1) * perPage };
}

export function pager(ctx: AppContext, page: number, total: number, perPage: number): Pager {
  const pages = Math.max(1, Math.ceil(total / perPage));
  const href = (n: number) => {
    const params = new URLSearchParams(ctx.querystring);
    if (n === 1) params.delete('page');
    else params.set('page', String(n));
    const qs = params.toString();
    return qs ? `${ctx.path}?${qs}` : ctx.path;
  };
  const first = Math.max(1, Math.min(page - 4, pages - 8));
  const last = Math.min(pages, first + 8);
  const items = [];
  for (let n = first; n <= last; n++) items.push({ n, href: href(n), current: n === page });
  return { page, pages, items, prev: page > 1 ? href(page - 1) : undefined, next: page < pages ? href(page + 1) : undefined };
}
