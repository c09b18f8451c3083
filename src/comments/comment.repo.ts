// All SQL about comments.
import type { Insertable } from 'kysely';
import type { Db } from '../platform/db.js';
import { prepared } from '../platform/prepared.js';
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

const listQuery = prepared((db, a: { articleId: number; viewerId: number; onlyId?: number }) => {
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
  return qb.orderBy('comments.id', 'asc');
});

export async function listComments(db: Db, articleId: number, viewerId: number, onlyId?: number): Promise<CommentListRow[]> {
  const { rows } = await listQuery(db, { articleId, viewerId, onlyId });
  return rows as unknown as CommentListRow[];
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
