// The rules that decide a new comment's state, from the settings and what is known of its writer.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { AppError } from '../core/errors.js';
import { countLinks, initialState, wordsOf, type CommentContext } from './moderation.js';

const open = { comments: 'open', hold_links_over: 2, hold_words: '', refuse_words: '', hold_first_comment: 'off' } as const;
const reader: CommentContext = { body: 'Nice post.', moderator: false, member: false, firstComment: false };

test('when a plain comment is written on an open site, then it is published', () => {
  assert.equal(initialState(open, reader), 'published');
});

test('when a comment has more links than the limit, then it is held; at the limit it is not', () => {
  const three = 'see https://a.example/x and http://b.example and www.c.example';
  assert.equal(countLinks(three), 3);
  assert.equal(initialState(open, { ...reader, body: three }), 'pending');
  assert.equal(initialState(open, { ...reader, body: 'https://a.example https://b.example' }), 'published');
  assert.equal(initialState({ ...open, hold_links_over: 0 }, { ...reader, body: 'https://a.example' }), 'pending');
});

test('when a comment holds a listed word, then it is held; a refused word is a 422 on body', () => {
  const settings = { ...open, hold_words: 'pills,\n casino ', refuse_words: 'viagra' };
  assert.deepEqual(wordsOf(settings.hold_words), ['pills', 'casino']);
  assert.equal(initialState(settings, { ...reader, body: 'BUY CHEAP PILLS' }), 'pending');
  assert.throws(() => initialState(settings, { ...reader, body: 'cheap Viagra' }), (err: unknown) => err instanceof AppError && err.status === 422 && 'body' in err.errors);
});

test('when the site holds first comments, then a first comment is held and later ones are not', () => {
  const settings = { ...open, hold_first_comment: 'on' } as const;
  assert.equal(initialState(settings, { ...reader, firstComment: true }), 'pending');
  assert.equal(initialState(settings, { ...reader, firstComment: false }), 'published');
});

test('when comments are moderated, members-only or closed, then readers are held or refused, moderators never', () => {
  assert.equal(initialState({ ...open, comments: 'moderated' }, reader), 'pending');
  assert.equal(initialState({ ...open, comments: 'members' }, reader), 'pending');
  assert.equal(initialState({ ...open, comments: 'members' }, { ...reader, member: true }), 'published');
  assert.throws(() => initialState({ ...open, comments: 'closed' }, reader), (err: unknown) => err instanceof AppError && err.status === 403);
  const moderator = { ...reader, moderator: true, body: 'https://a https://b https://c viagra' };
  for (const comments of ['open', 'moderated', 'members', 'closed'] as const) {
    assert.equal(initialState({ ...open, comments, refuse_words: 'viagra' }, moderator), 'published');
  }
});
