// Moderation: held comments approved, marked as spam or removed; readers' reports of comments and
// articles; and a log of every action (who, what, when). Moderators of every comment (editors,
// admins) see the whole queue; an article's author sees and moderates the comments on their own.
import type { Db } from '../db/database.js';
import { inTransaction } from '../db/database.js';
import { forbidden, invalid, notFound } from '../core/errors.js';
import type { User } from '../core/state.js';
import { articleIdentity } from '../articles/article.service.js';
import { can, requireCapability } from '../users/roles.js';
import * as comments from './comment.repo.js';
import type { CommentState } from './comment.table.js';
import * as repo from './moderation.repo.js';
import type { ReportTarget } from './moderation.table.js';

const QUEUE_LIMIT = 200;

export interface LogEntry { actor: string; action: string; targetType: string; targetId: number; note: string; createdAt: number }

/** Records a moderation or admin action; admin/ logs bans and role changes through it too. */
export async function logAction(db: Db, by: Pick<User, 'id' | 'username'>, action: string, target: { type: string; id: number }, note = ''): Promise<void> {
  await repo.insertLog(db, {
    actor_id: by.id > 0 ? by.id : null, actor_name: by.username, action, target_type: target.type, target_id: target.id,
    note: note.slice(0, 500), created_at: Date.now(),
  });
}

/** What a moderator's queue holds: held comments, open reports (moderators of every comment only) and the latest actions. */
export async function moderationQueue(db: Db, by: User) {
  const everyone = can(by, 'moderate_comments');
  if (!everyone) requireCapability(by, 'moderate_own_comments', 'moderation');
  const [held, reports, log] = await Promise.all([
    comments.listQueue(db, { onArticlesOf: everyone ? undefined : by.id, limit: QUEUE_LIMIT }),
    everyone ? repo.openReports(db, QUEUE_LIMIT) : Promise.resolve([]),
    everyone ? repo.recentLog(db, 50) : Promise.resolve([]),
  ]);
  return {
    comments: held.map((c) => ({
      id: Number(c.id), body: c.body, state: c.state, createdAt: Number(c.created_at), author: c.author_username,
      article: { slug: c.article_slug, title: c.article_title },
    })),
    reports: reports.map((r) => ({
      id: Number(r.id), targetType: r.target_type, targetId: Number(r.target_id), reason: r.reason,
      reporter: r.reporter_username, createdAt: Number(r.created_at),
    })),
    log: log.map((l): LogEntry => ({ actor: l.actor_name, action: l.action, targetType: l.target_type, targetId: Number(l.target_id), note: l.note, createdAt: Number(l.created_at) })),
  };
}

const DECISIONS: readonly CommentState[] = ['published', 'spam', 'removed'];

/** Approves a comment (published), or marks it spam or removed; logged. */
export async function moderateComment(db: Db, by: User, commentId: number, state: string): Promise<void> {
  if (!(DECISIONS as readonly string[]).includes(state)) throw invalid('state', 'must be published, spam or removed');
  const comment = await comments.findComment(db, commentId);
  if (!comment) throw notFound('comment');
  const may = can(by, 'moderate_comments') || (can(by, 'moderate_own_comments') && (await comments.articleAuthorOf(db, comment.article_id)) === by.id);
  if (!may) throw forbidden('comment');
  await inTransaction(db, async (trx) => {
    if (!(await comments.setCommentState(trx, commentId, state as CommentState))) throw notFound('comment');
    await logAction(trx, by, `comment:${state}`, { type: 'comment', id: commentId }, `was ${comment.state}`);
  });
}

/** A reader's report of a comment or an article; it lands in the moderators' queue. */
export async function report(db: Db, by: User, target: { type: ReportTarget; slug: string; commentId?: number }, reason: string): Promise<number> {
  requireCapability(by, 'comment', 'report');
  const text = reason.trim();
  if (!text) throw invalid('reason', "can't be blank");
  if (text.length > 500) throw invalid('reason', 'is too long (maximum is 500 characters)');
  const article = await articleIdentity(db, target.slug);
  let targetId = article.id;
  if (target.type === 'comment') {
    const comment = target.commentId !== undefined ? await comments.findComment(db, target.commentId) : undefined;
    if (!comment || comment.article_id !== article.id || comment.state !== 'published') throw notFound('comment');
    targetId = comment.id;
  }
  return repo.insertReport(db, { reporter_id: by.id, target_type: target.type, target_id: targetId, reason: text, created_at: Date.now() });
}

export async function resolveReport(db: Db, by: User, reportId: number): Promise<void> {
  requireCapability(by, 'moderate_comments', 'report');
  if (!(await repo.resolveReport(db, reportId, Date.now()))) throw notFound('report');
  await logAction(db, by, 'report:resolved', { type: 'report', id: reportId });
}

/** A banned account's held comments go with the ban (admin/ calls this). */
export function removePendingCommentsOf(db: Db, authorId: number): Promise<number> {
  return comments.removePendingOf(db, authorId);
}
