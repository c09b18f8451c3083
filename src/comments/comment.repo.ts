// All SQL about comments.
import type { Insertable } from 'kysely';
import type { Db } from '../db/database.js';
import { prepared } from '../db/prepared.js';
import { onArticle } from '../articles/article.repo.js';
import type { CommentTable } from './comment.table.js';

export interface CommentListRow {
  id: number;
  article_id: number;
  author_id: number;
  body: string;
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
      'comments.id', 'comments.article_id', 'comments.author_id', 'comments.body',
      'comments.created_at', 'comments.updated_at',
      'author.username as author_username', 'author.bio as author_bio', 'author.image as author_image',
      eb.exists(eb.selectFrom('follows').select('follows.follower_id')
        .whereRef('follows.followed_id', '=', 'comments.author_id').where('follows.follower_id', '=', a.viewerId))
        .as('following'),
    ])
    .where('comments.article_id', '=', a.articleId);
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
  const row = await db.selectFrom('comments').select((eb) => eb.fn.countAll<number>().as('n')).where('article_id', '=', articleId).executeTakeFirst();
  return Number(row?.n ?? 0);
}

export async function findComment(db: Db, id: number) {
  return db.selectFrom('comments').select(['id', 'article_id', 'author_id']).where('id', '=', id).executeTakeFirst();
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
