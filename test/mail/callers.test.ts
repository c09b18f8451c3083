// What Quire mails, end to end against a real SMTP server: a reset link asked for at /forgot
// (and the same answer for an address with no account), an invitation mailed from the admin API,
// and the notice to an article's author that a comment on it waits for moderation.
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { setTimeout as sleep } from 'node:timers/promises';
import { apiClient } from '../../support/client.js';
import { startTestServer, type TestServer } from '../../support/server.js';
import { startMailer, type Mailer } from '../../src/mail/sender.js';
import { createLogger } from '../../src/runtime/logger.js';
import { pageClient } from '../pages/page-client.js';
import { startSmtp, type ReceivedMail, type TestSmtp } from './smtp.js';

/** A Subject as a reader sees it: RFC 2047 "Q" encoded words (nodemailer's, for quotes) decoded. */
const readable = (subject: string) => subject.replace(/\?=\s+=\?/g, '?==?')
  .replace(/=\?UTF-8\?Q\?([^?]*)\?=/gi, (_, q: string) => Buffer.from(q.replace(/_/g, ' ').replace(/=([0-9A-F]{2})/gi, (_m, h: string) => String.fromCharCode(parseInt(h, 16))), 'latin1').toString('utf8'));

/** The whole Subject header, its folded lines joined (the inbox's subject holds the first line only). */
const subjectOf = (mail: ReceivedMail) => /^Subject:(.*(?:\r?\n[ \t].*)*)/im.exec(mail.raw)?.[1]?.replace(/\r?\n[ \t]/g, ' ').trim() ?? mail.subject;

describe('the mail Quire sends', () => {
  let smtp: TestSmtp;
  let server: TestServer;
  let mailer: Mailer;
  let api: ReturnType<typeof apiClient>;
  let ownerToken = '';

  /** The first mail to address whose subject matches, waiting (polling the server's inbox) until it comes. */
  async function mailTo(address: string, subject: RegExp): Promise<ReceivedMail> {
    const deadline = Date.now() + 10_000;
    for (;;) {
      const found = smtp.received.find((m) => m.to.includes(address) && subject.test(readable(subjectOf(m))));
      if (found) return found;
      if (Date.now() > deadline) throw new Error(`no mail to ${address} matching ${subject}: got ${smtp.received.map((m) => `${m.to} ${readable(subjectOf(m))}`).join('; ')}`);
      await sleep(20);
    }
  }

  before(async () => {
    smtp = await startSmtp();
    server = await startTestServer('sqlite', { SMTP_URL: smtp.url, MAIL_FROM: 'Quire <blog@example.com>' });
    mailer = startMailer({ database: server.deps.database, config: server.deps.config, logger: createLogger('silent'), timing: { pollMs: 50 } });
    api = apiClient(server.url);
    ownerToken = (await api.post('/users', { user: { username: 'owner', email: 'owner@example.com', password: 'password123' } })).body.user.token;
    await api.put('/admin/settings', { settings: { title: 'Quokka Notes' } }, ownerToken);
  });
  after(async () => {
    await mailer?.stop();
    await server?.close();
    await smtp?.stop();
  });

  it('when someone asks for a reset link at /forgot, then it is mailed, works once, and an unknown address gets the same answer', async () => {
    await api.post('/users', { user: { username: 'forgets', email: 'forgets@example.com', password: 'password123' } });
    const browser = pageClient(server.url);
    assert.match((await browser.get('/login')).text, /href="\/forgot"/);
    await browser.get('/forgot');
    const asked = await browser.post('/forgot', { email: 'Forgets@Example.com' });
    assert.equal(asked.status, 302);
    const stranger = pageClient(server.url);
    await stranger.get('/forgot');
    const unknown = await stranger.post('/forgot', { email: 'nobody@example.com' });
    assert.equal(unknown.status, asked.status);
    assert.equal(unknown.location, asked.location);

    const mail = await mailTo('forgets@example.com', /Reset your password on Quokka Notes/);
    const token = /\/reset\/([\w-]{43})/.exec(mail.decoded)?.[1];
    assert.ok(token, mail.decoded);
    assert.equal((await api.post('/users/password-reset', { reset: { token, password: 'mailed and reset 1' } })).status, 200);
    assert.equal((await api.post('/users/password-reset', { reset: { token, password: 'mailed and reset 2' } })).status, 403);
    assert.equal((await api.post('/users/password-reset-request', { user: { email: 'nobody@example.com' } })).status, 202);
    assert.ok(!smtp.received.some((m) => m.to.includes('nobody@example.com')));
  });

  it('when an admin invites by email, then the invitation is mailed with its link', async () => {
    const res = await api.post('/admin/invites', { invite: { role: 'editor', email: 'newcomer@example.com' } }, ownerToken);
    assert.equal(res.status, 201, res.text);
    assert.equal(res.body.invite.mailedTo, 'newcomer@example.com');
    const mail = await mailTo('newcomer@example.com', /You are invited to Quokka Notes/);
    assert.ok(mail.decoded.includes(res.body.invite.url as string), mail.decoded);
    assert.match(mail.decoded, /as an editor/);
    assert.equal((await api.post('/admin/invites', { invite: { role: 'editor', email: 'not an address' } }, ownerToken)).status, 422);
  });

  it("when a comment is held, then the article's author is told by mail where to review it", async () => {
    const writer = (await api.post('/users', { user: { username: 'writer', email: 'writer@example.com', password: 'password123' } })).body.user.token;
    const commenter = (await api.post('/users', { user: { username: 'linker', email: 'linker@example.com', password: 'password123' } })).body.user.token;
    const article = (await api.post('/articles', { article: { title: 'Held for review', description: 'd', body: 'b' } }, writer)).body.article;
    const held = await api.post(`/articles/${article.slug}/comments`, { comment: { body: 'https://a.example https://b.example https://c.example' } }, commenter);
    assert.equal(held.body.comment.state, 'pending');
    const mail = await mailTo('writer@example.com', /A comment on "Held for review" awaits moderation/);
    assert.match(mail.decoded, /\/admin\/moderation/);
    // A published comment tells nobody.
    await api.post(`/articles/${article.slug}/comments`, { comment: { body: 'plain words' } }, commenter);
    await sleep(200);
    assert.equal(smtp.received.filter((m) => m.to.includes('writer@example.com')).length, 1);
  });
});
