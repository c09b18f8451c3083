// The rules for articles: who may write what, slugs, favourites, lists. Returns domain objects.
import type { Db } from '../db/database.js';
import { inTransaction, isUniqueViolation } from '../db/database.js';
import { AppError, forbidden, notFound } from '../core/errors.js';
import { renderMarkdown } from './markdown.js';
import { toProfile, type Profile } from '../profiles/profile.service.js';
import type { User } from '../users/user.service.js';
import { can, requireCapability, type Capability } from '../users/roles.js';
import * as repo from './article.repo.js';
import type { ArticleFilter, ArticleListRow } from './article.repo.js';
import type { CreateArticleInput, UpdateArticleInput } from './article.schema.js';
import { slugify, withSuffix } from './slug.js';

export interface ArticleSummary {
  slug: string;
  title: string;
  description: string;
  tagList: string[];
  createdAt: number;
  updatedAt: number;
  favorited: boolean;
  favoritesCount: number;
  author: Profile;
}

export interface Article extends ArticleSummary {
  body: string;
  /** The body as sanitised HTML, rendered when it was written. */
  bodyHtml: string;
  /** Internal: never serialised (the JSON is allow-listed in article.routes.ts). */
  id: number;
  authorId: number;
}

export interface ArticlePage {
  articles: ArticleSummary[];
  articlesCount: number;
}

function toSummary(row: ArticleListRow): ArticleSummary {
  return {
    slug: row.slug,
    title: row.title,
    description: row.description,
    tagList: row.tag_list,
    createdAt: Number(row.created_at),
    updatedAt: Number(row.updated_at),
    favorited: Boolean(Number(row.favorited)),
    favoritesCount: Number(row.favorites_count),
    author: toProfile({ username: row.author_username, bio: row.author_bio, image: row.author_image }, Boolean(Number(row.following))),
  };
}

export async function listArticles(db: Db, viewer: User | undefined, filter: ArticleFilter, limit: number, offset: number): Promise<ArticlePage> {
  const [rows, articlesCount] = await Promise.all([
    repo.listArticles(db, filter, viewer?.id, limit, offset),
    repo.countArticles(db, filter),
  ]);
  return { articles: rows.map(toSummary), articlesCount };
}

export function feed(db: Db, viewer: User, limit: number, offset: number): Promise<ArticlePage> {
  return listArticles(db, viewer, { feedOf: viewer.id }, limit, offset);
}

export async function getArticle(db: Db, viewer: User | undefined, slug: string): Promise<Article> {
  const row = await repo.findArticleBySlug(db, slug, viewer?.id);
  if (!row) throw notFound('article');
  return { ...toSummary(row), body: row.body, bodyHtml: row.body_html, id: row.id, authorId: row.author_id };
}

/** Runs write(slug) with a free slug for title; a clash (even a concurrent one) gets a suffix. */
async function withFreeSlug<T>(db: Db, title: string, write: (slug: string) => Promise<T>): Promise<T> {
  const base = slugify(title);
  let slug = (await repo.slugExists(db, base)) ? withSuffix(base) : base;
  for (let attempt = 0; ; attempt++) {
    try {
      return await write(slug);
    } catch (err) {
      // (Concurrent inserts of one slug can also deadlock on MySQL's unique index: inTransaction runs them again.)
      if (!isUniqueViolation(err) || attempt >= 5) throw err;
      slug = withSuffix(base);
    }
  }
}

export async function createArticle(db: Db, author: User, input: CreateArticleInput): Promise<Article> {
  // A contributor writes drafts and cannot publish; until drafts exist (issue 22) they cannot post.
  requireCapability(author, 'publish_own', 'article', author.status === 'active' ? `cannot be published by ${author.role === 'contributor' ? 'a contributor' : 'a reader'}` : 'cannot be published by a suspended account');
  const now = Date.now();
  const bodyHtml = await renderMarkdown(input.body);
  const slug = await withFreeSlug(db, input.title, (candidate) => inTransaction(db, async (trx) => {
    const id = await repo.insertArticle(trx, {
      slug: candidate, title: input.title, description: input.description, body: input.body,
      body_html: bodyHtml, author_id: author.id, created_at: now, updated_at: now, tag_list: repo.tagListText(input.tagList ?? []),
    });
    await repo.insertTags(trx, { id, created_at: now }, input.tagList ?? []);
    return candidate;
  }));
  return getArticle(db, author, slug);
}

/** The article's id, author and title, or a 404: the one "find by slug" every write starts with. */
export async function articleIdentity(db: Db, slug: string): Promise<repo.ArticleIdentity> {
  const article = await repo.findArticleIdentity(db, slug);
  if (!article) throw notFound('article');
  return article;
}

/** Its author may change it with edit_own, anyone else only with `others` (users/roles.ts); 403 otherwise. */
function requireEditRight(user: User, authorId: number, others: Capability) {
  if (!can(user, authorId === user.id ? 'edit_own' : others)) throw forbidden('article');
}

async function editableArticle(db: Db, user: User, slug: string, others: Capability) {
  const article = await articleIdentity(db, slug);
  requireEditRight(user, article.author_id, others);
  return article;
}

/** The whole article, for whoever may edit it (the editor page): 404 when unknown, 403 for anyone else. */
export async function getOwnArticle(db: Db, user: User, slug: string): Promise<Article> {
  const article = await getArticle(db, user, slug);
  requireEditRight(user, article.authorId, 'edit_any');
  return article;
}

export async function updateArticle(db: Db, user: User, slug: string, input: UpdateArticleInput): Promise<Article> {
  const article = await editableArticle(db, user, slug, 'edit_any');
  const titleChanged = input.title !== undefined && input.title !== article.title;
  const bodyHtml = input.body !== undefined ? await renderMarkdown(input.body) : undefined;
  const changes = {
    ...(input.title !== undefined && { title: input.title }),
    ...(input.description !== undefined && { description: input.description }),
    ...(input.body !== undefined && { body: input.body, body_html: bodyHtml }),
    // Written with the article_tags rows below, in the same transaction.
    ...(input.tagList !== undefined && { tag_list: repo.tagListText(input.tagList) }),
    updated_at: Date.now(),
  };
  const write = (newSlug: string) => inTransaction(db, async (trx) => {
    await repo.updateArticle(trx, article.id, { ...changes, slug: newSlug });
    if (input.tagList !== undefined) await repo.replaceTags(trx, article, input.tagList);
    return newSlug;
  });
  // The slug follows a changed title, unless the new title slugs to the same thing.
  const newSlug = titleChanged && slugify(input.title!) !== slugify(article.title)
    ? await withFreeSlug(db, input.title!, write)
    : await write(slug);
  return getArticle(db, user, newSlug);
}

export async function deleteArticle(db: Db, user: User, slug: string): Promise<void> {
  const article = await editableArticle(db, user, slug, 'delete_any_article');
  await inTransaction(db, (trx) => repo.deleteArticle(trx, article.id));
}

/**
 * An account's articles as it is deleted: each removed as a delete does (tags and totals kept right),
 * or all given to another account. Called by the admin area, which has checked who may.
 */
export async function removeArticlesOf(db: Db, authorId: number, opts: { reassignTo?: number } = {}): Promise<void> {
  if (opts.reassignTo !== undefined) return repo.reassignArticles(db, authorId, opts.reassignTo);
  for (const id of await repo.articleIdsBy(db, authorId)) {
    await inTransaction(db, (trx) => repo.deleteArticle(trx, id)).catch((err: unknown) => {
      // Deleted meanwhile by someone else: one article fewer to remove.
      if (!(err instanceof AppError && err.code === 'not_found')) throw err;
    });
  }
}

/** Idempotent either way; callers that show the article read it afterwards. */
export async function favoriteArticle(db: Db, user: User, slug: string): Promise<void> {
  requireCapability(user, 'favorite', 'article');
  await repo.insertFavorite(db, user.id, (await articleIdentity(db, slug)).id);
}

export async function unfavoriteArticle(db: Db, user: User, slug: string): Promise<void> {
  await repo.deleteFavorite(db, user.id, (await articleIdentity(db, slug)).id);
}

/** Tags in use, most used first; limit (default: the repo's) keeps a sidebar's query small. */
export function listTags(db: Db, limit?: number): Promise<string[]> {
  return repo.listTags(db, limit);
}

/** Every article's address and last change (newest first, at most limit), for the sitemap. */
export async function listArticleLinks(db: Db, limit: number): Promise<{ slug: string; updatedAt: number }[]> {
  const rows = await repo.listArticleLinks(db, limit);
  return rows.map((r) => ({ slug: r.slug, updatedAt: Number(r.updated_at) }));
}
