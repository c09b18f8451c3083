// Whether a new comment is published at once, held for moderation, or refused: the site's
// `comments` setting and its moderation rules, as one pure function of what is known when it is
// written. Moderators, and an article's author on their own article, are never held.
import { invalid, forbidden } from '../core/errors.js';
import type { Settings } from '../settings/settings.service.js';
import type { CommentState } from './comment.table.js';

export interface CommentContext {
  body: string;
  /** May moderate this comment: a moderator of every comment, or the article's author. */
  moderator: boolean;
  /** The writer's role is above reader (a contributor, author …). */
  member: boolean;
  /** The writer has no published comment yet. */
  firstComment: boolean;
}

/** Links a reader could follow: bare URLs and markdown links alike, each counted once. */
export function countLinks(body: string): number {
  return (body.match(/\bhttps?:\/\/[^\s<>()[\]]+|\bwww\.[^\s<>()[\]]+/gi) ?? []).length;
}

/** The words of a list: one per line or separated by commas, trimmed, lower-cased, blanks dropped. */
export function wordsOf(list: string): string[] {
  return list.split(/[\n,]/).map((w) => w.trim().toLowerCase()).filter(Boolean);
}

const containsWord = (body: string, words: string[]) => {
  const text = body.toLowerCase();
  return words.find((word) => text.includes(word));
};

/** The state a new comment starts in; throws 403 when comments are closed, 422 for a refused word. */
export function initialState(settings: Pick<Settings, 'comments' | 'hold_links_over' | 'hold_words' | 'refuse_words' | 'hold_first_comment'>, c: CommentContext): CommentState {
  if (settings.comments === 'closed' && !c.moderator) throw forbidden('comment', 'comments are closed on this site');
  const refused = containsWord(c.body, wordsOf(settings.refuse_words));
  if (refused !== undefined && !c.moderator) throw invalid('body', 'holds a word this site does not accept');
  if (c.moderator) return 'published';
  if (settings.comments === 'moderated') return 'pending';
  if (settings.comments === 'members' && !c.member) return 'pending';
  if (countLinks(c.body) > settings.hold_links_over) return 'pending';
  if (containsWord(c.body, wordsOf(settings.hold_words)) !== undefined) return 'pending';
  if (settings.hold_first_comment === 'on' && c.firstComment) return 'pending';
  return 'published';
}
