// All SQL about articles, their tags and favourites. Lists page over articles, never joined rows,
// and each article's tags come in the same row, kept on it as JSON (no N+1, no second query).
import { sql, type Insertable, type SelectQueryBuilder, type Updateable } from 'kysely';
import { isMysql, orUpdate, type Db } from '../db/database.js';
import { isMissingParent, notFound } from '../core/errors.js';
import { prepared } from '../db/prepared.js';
import type { Database } from '../db/schema.js';
import type { ArticleTable } from './article.table.js';

export interface ArticleFilter {
  tag?: string;
  author?: string;
  favoritedBy?: string;
  /** Keyword search over title, description and body. */
  q?: string;
  /** Only articles by authors this user follows. */
  feedOf?: number;
}

export interface ArticleListRow {
  id: number;
  slug: string;
  title: string;
  description: string;
  created_at: number;
  updated_at: number;
  author_id: number;
  author_username: string;
  author_bio: string | null;
  author_image: string | null;
  favorites_count: number;
  favorited: number;
  following: number;
  /** The article's tags, sorted. */
  tag_list: string[];
}

export interface ArticleFullRow extends ArticleListRow {
  body: string;
  body_html: string;
}

type From = SelectQueryBuilder<Database, 'articles', object>;

const escapeLike = (s: string) => s.replace(/[!%_]/g, (c) => `!${c}`);

/** A filter as the prepared list and count queries take it: the search words already made a LIKE pattern. */
type FilterArgs = Omit<ArticleFilter, 'q'> & { pattern?: string };

function filterArgs(f: ArticleFilter): FilterArgs {
  // lower() on both sides (below): case-insensitive on SQLite and on MySQL's binary collation alike.
  const pattern = f.q ? `%${escapeLike(f.q.toLowerCase())}%` : undefined;
  return { tag: f.tag, author: f.author, favoritedBy: f.favoritedBy, feedOf: f.feedOf, pattern };
}

function applyFilter(db: Db, qb: From, f: FilterArgs): From {
  const { tag, author, favoritedBy, feedOf, pattern } = f;
  if (tag !== undefined) {
    // EXISTS, not IN: SQLite then walks articles newest first and stops at the page's end, instead of
    // sorting every article of the tag (docs/decisions/20-list-ids-first.md).
    qb = qb.where(({ exists, selectFrom }) => exists(selectFrom('article_tags').select(sql`1`.as('one'))
      .whereRef('article_tags.article_id', '=', 'articles.id').where('article_tags.tag', '=', tag)));
  }
  if (author !== undefined) {
    qb = qb.where('articles.author_id', 'in', db.selectFrom('users').select('id').where('username', '=', author));
  }
  if (favoritedBy !== undefined) {
    qb = qb.where('articles.id', 'in', db.selectFrom('favorites')
      .innerJoin('users', 'users.id', 'favorites.user_id')
      .select('favorites.article_id').where('users.username', '=', favoritedBy));
  }
  if (feedOf !== undefined) {
    qb = qb.where('articles.author_id', 'in', db.selectFrom('follows').select('followed_id').where('follower_id', '=', feedOf));
  }
  if (pattern !== undefined) {
    qb = qb.where(({ or }) => or([
      sql<boolean>`lower(articles.title) like ${pattern} escape '!'`,
      sql<boolean>`lower(articles.description) like ${pattern} escape '!'`,
      sql<boolean>`lower(articles.body) like ${pattern} escape '!'`,
    ]));
  }
  return qb;
}

/** An article's tags as its row keeps them (migration 007): sorted, unique, as JSON text. */
export const tagListText = (tags: string[]): string => JSON.stringify([...new Set(tags)].sort());

/** An article's tags aggregated from its article_tags rows, as JSON ('[]' for none, as SQLite's aggregate gives). */
function tagAggregate(db: Db) {
  return isMysql(db)
    ? sql<string>`coalesce((select json_arrayagg(article_tags.tag) from article_tags where article_tags.article_id = articles.id), '[]')`
    : sql<string>`(select json_group_array(article_tags.tag) from article_tags where article_tags.article_id = articles.id)`;
}

/**
 * tag_list as the list query reads it (JSON text: the row's own, or its tag rows aggregated when the
 * row has none), as an array, sorted: a list from an aggregate (the fallback, and lists migration 007
 * and the seeder filled in) comes in the database's order.
 */
function withTags<R extends { tag_list: unknown }>(row: R): R & { tag_list: string[] } {
  const list = typeof row.tag_list === 'string' ? JSON.parse(row.tag_list) as string[] : (row.tag_list as string[] | null) ?? [];
  // In place: the row is the driver's fresh object. A list the app wrote is sorted already, and
  // sort() allocates work space even then (docs/decisions/20-tag-list-on-row.md).
  if (!isSorted(list)) list.sort();
  (row as { tag_list: unknown }).tag_list = list;
  return row as R & { tag_list: string[] };
}

/** Whether sort() would leave the strings as they are (it compares UTF-16 code units, as < does). */
function isSorted(list: string[]): boolean {
  for (let i = 1; i < list.length; i++) if (list[i - 1]! > list[i]!) return false;
  return true;
}

/**
 * The columns every article read needs, relative to a viewer. For an anonymous reader (viewerId
 * undefined) favorited and following are constants: no lookup per row for a user who does not exist.
 */
function withListColumns(db: Db, qb: From, viewerId: number | undefined) {
  return qb
    .innerJoin('users as author', 'author.id', 'articles.author_id')
    .select((eb) => [
      'articles.id', 'articles.slug', 'articles.title', 'articles.description',
      'articles.created_at', 'articles.updated_at', 'articles.author_id',
      'author.username as author_username', 'author.bio as author_bio', 'author.image as author_image',
      eb.selectFrom('favorites').select(eb.fn.countAll<number>().as('n'))
        .whereRef('favorites.article_id', '=', 'articles.id').as('favorites_count'),
      viewerId === undefined ? sql<number>`0`.as('favorited') : eb.exists(eb.selectFrom('favorites').select(sql`1`.as('one'))
        .whereRef('favorites.article_id', '=', 'articles.id').where('favorites.user_id', '=', viewerId))
        .as('favorited'),
      viewerId === undefined ? sql<number>`0`.as('following') : eb.exists(eb.selectFrom('follows').select(sql`1`.as('one'))
        .whereRef('follows.followed_id', '=', 'articles.author_id').where('follows.follower_id', '=', viewerId))
        .as('following'),
      // The row's own list; a row written without one (by a worker of the release before migration
      // 007, during a rolling reload) falls back to its tag rows. COALESCE runs the subquery only then.
      sql<string>`coalesce(articles.tag_list, ${tagAggregate(db)})`.as('tag_list'),
    ]);
}

/** Filtered by a tag and nothing else (a tag page): listed from article_tags' index, counted by tag_counts. */
const tagAlone = (a: FilterArgs) => a.tag !== undefined && a.author === undefined && a.favoritedBy === undefined && a.feedOf === undefined && a.pattern === undefined;

const newestFirst = <Q extends From>(qb: Q) => qb.orderBy('articles.created_at', 'desc').orderBy('articles.id', 'desc') as Q;

/**
 * A page's ids first, then its rows, so the join with authors and the per-row subqueries run for
 * the page alone. Each database needs its own form (docs/decisions/20-list-ids-first.md):
 * - MariaDB/MySQL: the ids in a derived table in FROM, which then drives the join. As one plain
 *   query, or with the ids in IN (…), it starts from users, visits every article with its
 *   subqueries and sorts them all.
 * - SQLite: page 1 as one plain query, answered straight from the created_at index; later pages with
 *   the ids in IN (…) (a derived table there: MySQL refuses LIMIT directly inside IN). A plain OFFSET
 *   runs the subqueries for every row skipped, and the FROM form makes SQLite scan every article.
 * A tag page takes its ids from article_tags (migration 005) on both, instead of reading every
 * article of the tag and sorting them.
 */
const listQuery = prepared((db, a: FilterArgs & { viewerId?: number; limit: number; offset?: number }) => {
  const mysql = isMysql(db);
  // A tag page's ids come newest first straight from article_tags' (tag, created_at) index.
  const onlyTag = tagAlone(a);
  if (a.offset === undefined && !mysql && !onlyTag) {
    return newestFirst(withListColumns(db, applyFilter(db, db.selectFrom('articles'), a), a.viewerId)).limit(a.limit);
  }
  const tagIds = () => db.selectFrom('article_tags').select('article_tags.article_id as id').where('article_tags.tag', '=', a.tag!)
    .orderBy('article_tags.created_at', 'desc').orderBy('article_tags.article_id', 'desc').limit(a.limit);
  const filteredIds = () => newestFirst(applyFilter(db, db.selectFrom('articles'), a)).select('articles.id').limit(a.limit);
  const skip = <Q extends { offset(n: number): Q }>(q: Q) => (a.offset === undefined ? q : q.offset(a.offset));
  const page = (onlyTag ? skip(tagIds()).as('page') : skip(filteredIds()).as('page'));
  const rows = mysql
    // Typed as a plain articles query: every column the list reads is the joined article row's.
    ? db.selectFrom(page).innerJoin('articles', 'articles.id', 'page.id') as unknown as From
    : db.selectFrom('articles').where('articles.id', 'in', db.selectFrom(page).select('page.id'));
  return newestFirst(withListColumns(db, rows, a.viewerId));
});

export async function listArticles(db: Db, f: ArticleFilter, viewerId: number | undefined, limit: number, offset: number): Promise<ArticleListRow[]> {
  const { rows } = await listQuery(db, { ...filterArgs(f), viewerId, limit, offset: offset > 0 ? offset : undefined });
  return rows.map(withTags) as unknown as ArticleListRow[];
}

// A tag alone is counted by tag_counts, which every article write keeps in its own transaction:
// one row read instead of a count (docs/decisions/20-counts-kept-on-write.md).
const countTaggedQuery = prepared((db, a: { tag: string }) =>
  db.selectFrom('tag_counts').select('articles as n').where('tag', '=', a.tag));
// No filter at all (the home page, the plain API list): the total every create and delete keeps.
const countAllQuery = prepared((db, _a: Record<string, never>) =>
  db.selectFrom('site_totals').select('value as n').where('name', '=', 'articles'));
const countQuery = prepared((db, a: FilterArgs) =>
  applyFilter(db, db.selectFrom('articles'), a).select((eb) => eb.fn.countAll<number>().as('n')));

export async function countArticles(db: Db, f: ArticleFilter): Promise<number> {
  const args = filterArgs(f);
  const none = Object.values(args).every((v) => v === undefined);
  const { rows } = none ? await countAllQuery(db, {}) : tagAlone(args) ? await countTaggedQuery(db, { tag: args.tag! }) : await countQuery(db, args);
  return Number(rows[0]?.n ?? 0);
}

const bySlugQuery = prepared((db, a: { slug: string; viewerId?: number }) =>
  withListColumns(db, db.selectFrom('articles').where('articles.slug', '=', a.slug), a.viewerId)
    .select(['articles.body', 'articles.body_html']));

export async function findArticleBySlug(db: Db, slug: string, viewerId: number | undefined): Promise<ArticleFullRow | undefined> {
  const { rows } = await bySlugQuery(db, { slug, viewerId });
  return rows[0] && withTags(rows[0]) as unknown as ArticleFullRow;
}

/** What a write needs to know of an article: who wrote it, its title (for the slug) and its creation time (for its tag rows). */
export interface ArticleIdentity { id: number; author_id: number; title: string; created_at: number }

const identityQuery = prepared((db, a: { slug: string }) => db.selectFrom('articles').select(['id', 'author_id', 'title', 'created_at']).where('slug', '=', a.slug));

export async function findArticleIdentity(db: Db, slug: string): Promise<ArticleIdentity | undefined> {
  return (await identityQuery(db, { slug })).rows[0];
}

export async function slugExists(db: Db, slug: string): Promise<boolean> {
  return (await db.selectFrom('articles').select('id').where('slug', '=', slug).executeTakeFirst()) !== undefined;
}

/** Inserts the article and counts it in site_totals; run in the article's transaction. */
export async function insertArticle(db: Db, article: Insertable<ArticleTable>): Promise<number> {
  const result = await db.insertInto('articles').values(article).executeTakeFirstOrThrow();
  await moveArticleTotal(db, 1);
  return Number(result.insertId);
}

async function moveArticleTotal(db: Db, delta: 1 | -1): Promise<void> {
  await db.updateTable('site_totals').set({ value: sql`value + ${delta}` }).where('name', '=', 'articles').execute();
}

export async function updateArticle(db: Db, id: number, changes: Updateable<ArticleTable>): Promise<void> {
  await db.updateTable('articles').set(changes).where('id', '=', id).execute();
}

/**
 * Moves tag_counts by delta for each tag. Rows are touched in one sorted order by every writer, so
 * two articles written at once with the same tags queue on them rather than deadlock. Counts that
 * reach 0 stay (a tag used again reuses its row); readers skip them.
 */
async function countTags(db: Db, tags: string[], delta: 1 | -1): Promise<void> {
  if (tags.length === 0) return;
  const sorted = [...new Set(tags)].sort();
  if (delta < 0) {
    await db.updateTable('tag_counts').set({ articles: sql`articles - 1` }).where('tag', 'in', sorted).execute();
    return;
  }
  await db.insertInto('tag_counts').values(sorted.map((tag) => ({ tag, articles: 1 })))
    .$call(orUpdate(db, 'tag', { articles: sql`articles + 1` })).execute();
}

async function tagsOf(db: Db, articleId: number): Promise<string[]> {
  return (await db.selectFrom('article_tags').select('tag').where('article_id', '=', articleId).execute()).map((r) => r.tag);
}

/**
 * Runs a write of rows that name an article. A writer looks the article up by slug before it writes,
 * so a delete can commit in between: the foreign key then refuses the rows, and that is the article's 404.
 */
export async function onArticle<T>(write: Promise<T>): Promise<T> {
  try {
    return await write;
  } catch (err) {
    if (isMissingParent(err, 'articles')) throw notFound('article');
    throw err;
  }
}

/** Tags of a new article. No delete first: on MySQL its gap lock deadlocks concurrent creates. Run in the article's transaction. */
export async function insertTags(db: Db, article: Pick<ArticleIdentity, 'id' | 'created_at'>, tags: string[]): Promise<void> {
  if (tags.length > 0) {
    await onArticle(db.insertInto('article_tags').values(tags.map((tag) => ({ article_id: article.id, tag, created_at: Number(article.created_at) }))).execute());
    await countTags(db, tags, 1);
  }
}

/** Run in the article's transaction, after the article row was written (its lock keeps a concurrent retag or delete out). Only tags that change are touched. */
export async function replaceTags(db: Db, article: Pick<ArticleIdentity, 'id' | 'created_at'>, tags: string[]): Promise<void> {
  const articleId = article.id;
  const old = await tagsOf(db, articleId);
  const removed = old.filter((tag) => !tags.includes(tag));
  const added = tags.filter((tag) => !old.includes(tag));
  if (removed.length > 0) {
    await db.deleteFrom('article_tags').where('article_id', '=', articleId).where('tag', 'in', removed).execute();
    await countTags(db, removed, -1);
  }
  await insertTags(db, article, added);
}

/** The article, its tags, favourites and comments (the last three by cascade), and its share of tag_counts and site_totals. Run in a transaction. */
export async function deleteArticle(db: Db, id: number): Promise<void> {
  // Lock the article row before reading its tags, as an edit does, so a retag committing meanwhile cannot leave counts behind.
  const { numUpdatedRows } = await db.updateTable('articles').set({ updated_at: sql`updated_at` }).where('id', '=', id).executeTakeFirst();
  // A concurrent delete got there first: counting it again would take the totals below the rows.
  if (numUpdatedRows === 0n) throw notFound('article');
  await countTags(db, await tagsOf(db, id), -1);
  await db.deleteFrom('articles').where('id', '=', id).execute();
  await moveArticleTotal(db, -1);
}

/** The ids of every article by one author (an account being deleted with its content). */
export async function articleIdsBy(db: Db, authorId: number): Promise<number[]> {
  const rows = await db.selectFrom('articles').select('id').where('author_id', '=', authorId).execute();
  return rows.map((r) => Number(r.id));
}

/** Gives every article of one author to another (an account deleted, its content kept). */
export async function reassignArticles(db: Db, fromId: number, toId: number): Promise<void> {
  await db.updateTable('articles').set({ author_id: toId }).where('author_id', '=', fromId).execute();
}

/** Sets the article total from the rows (after a bulk load: the seeder). */
export async function recountArticles(db: Db): Promise<void> {
  const { n } = await db.selectFrom('articles').select((eb) => eb.fn.countAll<number>().as('n')).executeTakeFirstOrThrow();
  await db.insertInto('site_totals').values({ name: 'articles', value: Number(n) })
    .$call(orUpdate(db, 'name', { value: Number(n) })).execute();
}

/** Sets every article's tag_list from article_tags (after a bulk load: the seeder), as migration 007 does. */
export async function refreshTagLists(db: Db): Promise<void> {
  await db.updateTable('articles').set({ tag_list: tagAggregate(db) }).execute();
}

/** Sets tag_counts from article_tags, for writers that fill article_tags in bulk (the seeder). */
export async function recountTags(db: Db): Promise<void> {
  await db.deleteFrom('tag_counts').execute();
  await db.insertInto('tag_counts').columns(['tag', 'articles'])
    .expression(db.selectFrom('article_tags').select((eb) => ['tag', eb.fn.countAll<number>().as('articles')]).groupBy('tag'))
    .execute();
}

export async function insertFavorite(db: Db, userId: number, articleId: number): Promise<void> {
  // A favourite already there is kept. Not MySQL's INSERT IGNORE: it would also ignore the foreign key
  // of an article deleted meanwhile, and answer 200 for a favourite it never wrote.
  const insert = db.insertInto('favorites').values({ user_id: userId, article_id: articleId, created_at: Date.now() });
  await onArticle((isMysql(db) ? insert.onDuplicateKeyUpdate({ user_id: sql`user_id` }) : insert.orIgnore()).execute());
}

export async function deleteFavorite(db: Db, userId: number, articleId: number): Promise<void> {
  await db.deleteFrom('favorites').where('user_id', '=', userId).where('article_id', '=', articleId).execute();
}

/** Tags that still belong to at least one article, most used first. */
const tagsQuery = prepared((db, a: { limit: number }) =>
  db.selectFrom('tag_counts').select('tag').where('articles', '>', 0).orderBy('articles', 'desc').orderBy('tag').limit(a.limit));

export async function listTags(db: Db, limit = 1000): Promise<string[]> {
  const { rows } = await tagsQuery(db, { limit });
  return rows.map((r) => r.tag);
}

/** Slugs and last changes of the newest articles, for the sitemap: no joins, one small row each. */
export function listArticleLinks(db: Db, limit: number): Promise<{ slug: string; updated_at: number }[]> {
  return db.selectFrom('articles').select(['slug', 'updated_at'])
    .orderBy('created_at', 'desc').orderBy('id', 'desc').limit(limit).execute();
}

/** Everything an author wrote, oldest first, for their own data export. */
export async function articlesForExport(db: Db, authorId: number) {
  const rows = await db.selectFrom('articles').select(['slug', 'title', 'description', 'body', 'tag_list', 'created_at', 'updated_at'])
    .where('author_id', '=', authorId).orderBy('id').execute();
  return rows.map((r) => withTags(r));
}

/** The slugs of the articles an account favourites, for its data export. */
export async function favoritedSlugs(db: Db, userId: number): Promise<string[]> {
  const rows = await db.selectFrom('favorites').innerJoin('articles', 'articles.id', 'favorites.article_id')
    .select('articles.slug').where('favorites.user_id', '=', userId).orderBy('articles.id').execute();
  return rows.map((r) => r.slug);
}
