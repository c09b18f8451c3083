// The rules for comments: who may comment (users/roles.ts), whether a new one is held for
// moderation (moderation.ts), and that only its writer or a moderator may delete it.
import type { Db } from '../db/database.js';
import { forbidden, notFound } from '../core/errors.js';
import { articleIdentity } from '../articles/article.service.js';
import { toProfile, type Profile } from '../profiles/profile.service.js';
import type { User } from '../users/user.service.js';
import { can, requireCapability } from '../users/roles.js';
import * as repo from './comment.repo.js';
import type { CommentState } from './comment.table.js';
import { initialState } from './moderation.js';
import { getSettings } from '../settings/settings.service.js';
import { sendMail } from '../mail/outbox.js';
import { heldCommentMail } from '../mail/messages.js';
import { findUserById } from '../users/user.repo.js';

export interface Comment {
  id: number;
  body: string;
  createdAt: number;
  updatedAt: number;
  author: Profile;
  authorId: number;
  /** published, or pending: held for moderation, shown to its writer only. */
  state: CommentState;
}

function toComment(row: repo.CommentListRow): Comment {
  return {
    id: Number(row.id),
    body: row.body,
    createdAt: Number(row.created_at),
    updatedAt: Number(row.updated_at),
    authorId: row.author_id,
    state: row.state,
    author: toProfile({ username: row.author_username, bio: row.author_bio, image: row.author_image }, Boolean(Number(row.following))),
  };
}

const articleId = async (db: Db, slug: string): Promise<number> => (await articleIdentity(db, slug)).id;

export async function listComments(db: Db, viewer: User | undefined, slug: string): Promise<Comment[]> {
  return commentsOn(db, viewer, await articleId(db, slug));
}

/** The comments on an article already found (the article page has it): oldest first. */
export async function commentsOn(db: Db, viewer: User | undefined, articleId: number): Promise<Comment[]> {
  return (await repo.listComments(db, articleId, viewer?.id ?? 0)).map(toComment);
}

export interface CommentPage { comments: Comment[]; commentsCount: number }

/** One page of the comments on an article already found, newest first, with how many it has in all. */
export async function commentPageOn(db: Db, viewer: User | undefined, articleId: number, limit: number, offset: number): Promise<CommentPage> {
  const [rows, commentsCount] = await Promise.all([
    repo.listCommentPage(db, articleId, viewer?.id ?? 0, limit, offset),
    repo.countComments(db, articleId),
  ]);
  return { comments: rows.map(toComment), commentsCount };
}

/**
 * A new comment by author, published or held by the site's rules. A held one is announced by mail to
 * the article's author, who moderates it, with a link on the site's origin (the `url` setting, else
 * requestOrigin: the address the request came to).
 */
export async function addComment(db: Db, author: User, slug: string, body: string, requestOrigin?: string): Promise<Comment> {
  requireCapability(author, 'comment', 'comment');
  const article = await articleIdentity(db, slug);
  const id = article.id;
  const moderator = can(author, 'moderate_comments') || (article.author_id === author.id && can(author, 'moderate_own_comments'));
  const settings = await getSettings(db);
  const state = initialState(settings, {
    body, moderator, member: author.role !== 'reader',
    firstComment: settings.hold_first_comment === 'on' && !(await repo.hasPublishedComment(db, author.id)),
  });
  const now = Date.now();
  const commentId = await repo.insertComment(db, { article_id: id, author_id: author.id, body, state, created_at: now, updated_at: now });
  const [row] = await repo.listComments(db, id, author.id, commentId);
  // Written, then deleted with its article before it was read back: the article is gone.
  if (!row) throw notFound('article');
  const origin = settings.url || requestOrigin;
  if (state === 'pending' && origin && article.author_id !== author.id) {
    const owner = await findUserById(db, article.author_id);
    if (owner && owner.status === 'active') {
      await sendMail(db, { to: owner.email, ...heldCommentMail(settings.title, article.title, `${origin}/admin/moderation`) });
    }
  }
  return toComment(row);
}

export async function deleteComment(db: Db, user: User, slug: string, commentId: number): Promise<void> {
  const id = await articleId(db, slug);
  const comment = await repo.findComment(db, commentId);
  if (!comment || comment.article_id !== id) throw notFound('comment');
  // Its writer, or a moderator of every comment. (An article's author moderates the comments on it,
  // but deleting one through the API stays its writer's, as the RealWorld contract has it.)
  const mayDelete = comment.author_id === user.id ? can(user, 'comment') : can(user, 'moderate_comments');
  if (!mayDelete) throw forbidden('comment');
  await repo.deleteComment(db, commentId);
}

/** An account's comments as it is deleted: given to another account, or left to go with it. */
export async function reassignCommentsOf(db: Db, authorId: number, toId: number): Promise<void> {
  await repo.reassignComments(db, authorId, toId);
}
