// All SQL about comments.
import type { Insertable } from 'kysely';
import type { Db } from '../db/database.js';
import { prepared } from '../db/prepared.js';
import { onArticle } from '../articles/article.repo.js';
import type { CommentState, CommentTable } from './comment.table.js';

export interface CommentListRow {
  id: number;
  article_id: number;
  author_id: number;
  body: string;
  state: CommentState;
  created_at: number;
  updated_at: number;
  author_username: string;
  author_bio: string | null;
  author_image: string | null;
  following: number;
}

const listQuery = prepared((db, a: { articleId: number; viewerId: number; onlyId?: number; limit?: number; offset?: number }) => {
  let qb = db.selectFrom('comments')
    .innerJoin('users as author', 'author.id', 'comments.author_id')
    .select((eb) => [
      'comments.id', 'comments.article_id', 'comments.author_id', 'comments.body', 'comments.state',
      'comments.created_at', 'comments.updated_at',
      'author.username as author_username', 'author.bio as author_bio', 'author.image as author_image',
      eb.exists(eb.selectFrom('follows').select('follows.follower_id')
        .whereRef('follows.followed_id', '=', 'comments.author_id').where('follows.follower_id', '=', a.viewerId))
        .as('following'),
    ])
    .where('comments.article_id', '=', a.articleId)
    // Published comments for everyone; a held one for its writer only (moderators see the queue).
    .where((eb) => eb.or([eb('comments.state', '=', 'published'), eb.and([eb('comments.state', '=', 'pending'), eb('comments.author_id', '=', a.viewerId)])]));
  if (a.onlyId !== undefined) qb = qb.where('comments.id', '=', a.onlyId);
  // A page of the article page, newest first; the API's list (no limit) stays whole and oldest first, as the contract has it.
  if (a.limit !== undefined && a.offset !== undefined) return qb.orderBy('comments.id', 'desc').limit(a.limit).offset(a.offset);
  return qb.orderBy('comments.id', 'asc');
});

export async function listComments(db: Db, articleId: number, viewerId: number, onlyId?: number): Promise<CommentListRow[]> {
  const { rows } = await listQuery(db, { articleId, viewerId, onlyId });
  return rows as unknown as CommentListRow[];
}

/** One page of an article's comments, newest first. */
export async function listCommentPage(db: Db, articleId: number, viewerId: number, limit: number, offset: number): Promise<CommentListRow[]> {
  const { rows } = await listQuery(db, { articleId, viewerId, limit, offset });
  return rows as unknown as CommentListRow[];
}

export async function countComments(db: Db, articleId: number): Promise<number> {
  const row = await db.selectFrom('comments').select((eb) => eb.fn.countAll<number>().as('n'))
    .where('article_id', '=', articleId).where('state', '=', 'published').executeTakeFirst();
  return Number(row?.n ?? 0);
}

export async function findComment(db: Db, id: number) {
  return db.selectFrom('comments').select(['id', 'article_id', 'author_id', 'state']).where('id', '=', id).executeTakeFirst();
}

/** The article deleted since the caller found it is the article's 404 (see onArticle). */
export async function insertComment(db: Db, comment: Insertable<CommentTable>): Promise<number> {
  const result = await onArticle(db.insertInto('comments').values(comment).executeTakeFirstOrThrow());
  return Number(result.insertId);
}

export async function deleteComment(db: Db, id: number): Promise<void> {
  await db.deleteFrom('comments').where('id', '=', id).execute();
}

/** Gives every comment of one account to another (an account deleted, its content kept). */
export async function reassignComments(db: Db, fromId: number, toId: number): Promise<void> {
  await db.updateTable('comments').set({ author_id: toId }).where('author_id', '=', fromId).execute();
}

/** Whether the account has a published comment anywhere (a first comment may be held). */
export async function hasPublishedComment(db: Db, authorId: number): Promise<boolean> {
  const row = await db.selectFrom('comments').select('id').where('author_id', '=', authorId).where('state', '=', 'published').limit(1).executeTakeFirst();
  return row !== undefined;
}

export async function setCommentState(db: Db, id: number, state: CommentState): Promise<boolean> {
  const result = await db.updateTable('comments').set({ state, updated_at: Date.now() }).where('id', '=', id).executeTakeFirst();
  return Number(result.numUpdatedRows) === 1;
}

/** Removes every held comment of an account (it was banned). */
export async function removePendingOf(db: Db, authorId: number): Promise<number> {
  const result = await db.updateTable('comments').set({ state: 'removed', updated_at: Date.now() })
    .where('author_id', '=', authorId).where('state', '=', 'pending').executeTakeFirst();
  return Number(result.numUpdatedRows);
}

export interface QueueRow {
  id: number;
  article_id: number;
  article_slug: string;
  article_title: string;
  author_id: number;
  author_username: string;
  body: string;
  state: CommentState;
  created_at: number;
}

/** Held comments, oldest first: every one, or only those on one author's articles. */
export async function listQueue(db: Db, opts: { onArticlesOf?: number; limit: number }): Promise<QueueRow[]> {
  let qb = db.selectFrom('comments')
    .innerJoin('articles', 'articles.id', 'comments.article_id')
    .innerJoin('users as author', 'author.id', 'comments.author_id')
    .select(['comments.id', 'comments.article_id', 'articles.slug as article_slug', 'articles.title as article_title',
      'comments.author_id', 'author.username as author_username', 'comments.body', 'comments.state', 'comments.created_at'])
    .where('comments.state', '=', 'pending');
  if (opts.onArticlesOf !== undefined) qb = qb.where('articles.author_id', '=', opts.onArticlesOf);
  return qb.orderBy('comments.id', 'asc').limit(opts.limit).execute() as Promise<QueueRow[]>;
}

/** Who wrote the article a comment is on (its author moderates it). */
export async function articleAuthorOf(db: Db, articleId: number): Promise<number | undefined> {
  const row = await db.selectFrom('articles').select('author_id').where('id', '=', articleId).executeTakeFirst();
  return row === undefined ? undefined : Number(row.author_id);
}

/** Every comment an account wrote, with the article it is on, for its data export. */
export function commentsForExport(db: Db, authorId: number) {
  return db.selectFrom('comments').innerJoin('articles', 'articles.id', 'comments.article_id')
    .select(['comments.id', 'articles.slug as article', 'comments.body', 'comments.state', 'comments.created_at', 'comments.updated_at'])
    .where('comments.author_id', '=', authorId).orderBy('comments.id').execute();
}
