// The outbox and its sender against a real SMTP server (smtp-server, started here): a queued mail
// arrives; with the server down it stays queued, attempts counted, and goes out when the server
// returns, without restarting Quire; two senders on one database send each message once; a
// permanent refusal or too many failures gives up. On a SQLite file and on MariaDB when it answers.
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { openDatabase, type DatabaseHandle } from '../../src/db/database.js';
import { migrateToLatest } from '../../src/db/migrate.js';
import { enqueueMail, sendMail, wakeMailer } from '../../src/mail/outbox.js';
import { startMailer, type Mailer, type MailerTiming } from '../../src/mail/sender.js';
import { resetMail } from '../../src/mail/messages.js';
import type { MailRow } from '../../src/mail/mail.table.js';
import { createLogger } from '../../src/runtime/logger.js';
import { createMysqlDatabase, MYSQL_ADMIN_URL, needService } from '../../support/services.js';
import { startSmtp } from './smtp.js';

const logger = createLogger(process.env.TEST_LOG_LEVEL ?? 'silent');
// Short enough that a test sees several retries in well under a second.
const fast: Partial<MailerTiming> = { pollMs: 50, retryBaseMs: 20, retryMaxMs: 100 };

/** Polls check until it returns a value, failing after the deadline: the outbox is read, never slept on blindly. */
async function until<T>(what: string, check: () => Promise<T | undefined | false> | T | undefined | false, timeoutMs = 10_000): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const value = await check();
    if (value !== undefined && value !== false) return value;
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await sleep(20);
  }
}

function defineSuite(dialect: 'sqlite' | 'mysql', skip: string | undefined) {
  describe(`mail on ${dialect}`, { skip }, () => {
    let url: string;
    let cleanup: () => Promise<void>;
    const handles: DatabaseHandle[] = [];
    const mailers: Mailer[] = [];

    before(async () => {
      if (dialect === 'mysql') {
        const mysql = await createMysqlDatabase('quire_mail');
        url = mysql.url;
        cleanup = mysql.drop;
      } else {
        const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'quire-mail-'));
        url = `sqlite:${path.join(dir, 'quire.db')}`;
        cleanup = async () => fs.rmSync(dir, { recursive: true, force: true });
      }
      const first = openDatabase(url);
      await migrateToLatest(first.untimed);
      handles.push(first);
    });

    after(async () => {
      await Promise.all(mailers.map((m) => m.stop()));
      await Promise.all(handles.map((h) => h.close()));
      await cleanup?.();
    });

    const database = () => handles[0]!;
    const db = () => database().db;
    const mailer = (smtpUrl: string, timing: Partial<MailerTiming> = fast, handle = database()) => {
      const started = startMailer({ database: handle, logger, timing, config: { SMTP_URL: smtpUrl, MAIL_FROM: 'Quire <quire@example.test>', MAIL_MAX_AGE_HOURS: 72 } });
      mailers.push(started);
      return started;
    };
    const row = (id: number) => db().selectFrom('mail_outbox').selectAll().where('id', '=', id).executeTakeFirstOrThrow();
    const sentRow = (id: number) => async () => { const r = await row(id); return r.sent_at !== null && r; };

    test('when a mail is queued, then it arrives with its recipient, subject and bodies, and is marked sent', async () => {
      const smtp = await startSmtp();
      const sender = mailer(smtp.url);
      try {
        const id = await sendMail(db(), { to: 'reader@example.test', subject: 'Hello from Quire', text: 'Plain words here.', html: '<p>Some <b>bold</b> words.</p>' });
        const got = await until('the mail', () => smtp.received.find((m) => m.subject === 'Hello from Quire'));
        assert.deepEqual(got.to, ['reader@example.test']);
        assert.equal(got.from, 'quire@example.test');
        assert.match(got.raw, /^From: Quire <quire@example\.test>$/m);
        assert.match(got.decoded, /Plain words here\./);
        assert.match(got.raw, /Content-Type: text\/html/);
        const sent: MailRow = await until('the row marked sent', sentRow(id));
        assert.equal(sent.attempts, 1);
        assert.equal(sent.next_attempt_at, null);
        assert.equal(sent.last_error, null);
      } finally {
        await sender.stop();
        await smtp.stop();
      }
    });

    test('when the SMTP server is down, then a reset mail stays queued with attempts counted, and is sent once it returns', async () => {
      const smtp = await startSmtp();
      await smtp.stop();
      const sender = mailer(smtp.url);
      try {
        const { subject, text, html } = resetMail('Down Blog', 'https://blog.example.test/reset/abc123');
        const id = await sendMail(db(), { to: 'forgetful@example.test', subject, text, html });
        const waiting: MailRow = await until('two failed attempts', async () => { const r = await row(id); return r.attempts >= 2 && r; });
        assert.equal(waiting.sent_at, null);
        assert.equal(waiting.failed_at, null);
        assert.match(waiting.last_error ?? '', /ECONNREFUSED|connect/i);
        assert.equal(smtp.received.length, 0);

        await smtp.start(); // the same port: Quire's SMTP_URL is unchanged, the sender was never restarted
        const got = await until('the reset mail', () => smtp.received.find((m) => m.to.includes('forgetful@example.test')));
        assert.equal(got.subject, 'Reset your password on Down Blog');
        assert.match(got.decoded, /https:\/\/blog\.example\.test\/reset\/abc123/);
        const sent: MailRow = await until('the row marked sent', sentRow(id));
        assert.ok(sent.attempts >= 3, `attempts ${sent.attempts}`);
        await sleep(200); // several polls: nothing is sent twice
        assert.equal(smtp.received.filter((m) => m.to.includes('forgetful@example.test')).length, 1);
      } finally {
        await sender.stop();
        await smtp.stop();
      }
    });

    test('when two senders on two connections share the outbox, then each message is sent exactly once', async () => {
      const smtp = await startSmtp();
      const second = openDatabase(url);
      handles.push(second);
      const ids: number[] = [];
      for (let i = 0; i < 30; i++) ids.push(await enqueueMail(db(), { to: `many${i}@example.test`, subject: `Batch ${i}`, text: `message ${i}` }));
      const senders = [mailer(smtp.url, { ...fast, pollMs: 10 }), mailer(smtp.url, { ...fast, pollMs: 10 }, second)];
      wakeMailer();
      try {
        await until('all 30 sent', async () => {
          const rows = await db().selectFrom('mail_outbox').select('sent_at').where('id', 'in', ids).execute();
          return rows.every((r) => r.sent_at !== null);
        });
        await sleep(100);
        const subjects = smtp.received.map((m) => m.subject).filter((s) => s.startsWith('Batch '));
        assert.equal(subjects.length, 30, `received ${subjects.length}`);
        assert.equal(new Set(subjects).size, 30);
        const rows = await db().selectFrom('mail_outbox').select('attempts').where('id', 'in', ids).execute();
        assert.ok(rows.every((r) => r.attempts === 1));
      } finally {
        await Promise.all(senders.map((s) => s.stop()));
        await smtp.stop();
      }
    });

    test('when the server refuses a recipient with a 5xx, then the mail is given up at once and kept', async () => {
      const smtp = await startSmtp({ refuse: (address) => (address.startsWith('nobody@') ? { code: 550, message: 'No such user' } : undefined) });
      const sender = mailer(smtp.url);
      try {
        const id = await sendMail(db(), { to: 'nobody@example.test', subject: 'Never arrives', text: 'x' });
        const failed: MailRow = await until('the row given up', async () => { const r = await row(id); return r.failed_at !== null && r; });
        assert.equal(failed.attempts, 1);
        assert.equal(failed.next_attempt_at, null);
        assert.match(failed.last_error ?? '', /550|No such user/);
      } finally {
        await sender.stop();
        await smtp.stop();
      }
    });

    test('when every attempt fails, then the mail is given up after maxAttempts', async () => {
      const smtp = await startSmtp();
      await smtp.stop();
      const sender = mailer(smtp.url, { ...fast, maxAttempts: 3 });
      try {
        const id = await sendMail(db(), { to: 'unlucky@example.test', subject: 'Given up', text: 'x' });
        const failed: MailRow = await until('the row given up', async () => { const r = await row(id); return r.failed_at !== null && r; });
        assert.equal(failed.attempts, 3);
        assert.equal(failed.sent_at, null);
      } finally {
        await sender.stop();
      }
    });

    test('when a subject or address holds a line break, then nothing is stored and a 422 is thrown', async () => {
      const before = await db().selectFrom('mail_outbox').select((eb) => eb.fn.countAll<number>().as('n')).executeTakeFirstOrThrow();
      const attempts = [
        { to: 'victim@example.test\r\nBcc: everyone@example.test', subject: 'Hi', text: 'x' },
        { to: 'victim@example.test', subject: 'Hi\r\nBcc: everyone@example.test', text: 'x' },
        { to: 'victim@example.test', subject: 'Hi\nX-Injected: 1', text: 'x' },
        { to: 'a@example.test, b@example.test', subject: 'Hi', text: 'x' },
        { to: 'Someone <a@example.test>', subject: 'Hi', text: 'x' },
      ];
      for (const message of attempts) {
        await assert.rejects(enqueueMail(db(), message), (err: { status?: number }) => err.status === 422, JSON.stringify(message));
      }
      const afterward = await db().selectFrom('mail_outbox').select((eb) => eb.fn.countAll<number>().as('n')).executeTakeFirstOrThrow();
      assert.equal(Number(afterward.n), Number(before.n));
    });

    test('when a mail is queued in a transaction that rolls back, then it is never sent', async () => {
      await assert.rejects(db().transaction().execute(async (trx) => {
        await enqueueMail(trx, { to: 'ghost@example.test', subject: 'Rolled back', text: 'x' });
        throw new Error('the change failed');
      }), /the change failed/);
      const rows = await db().selectFrom('mail_outbox').select('id').where('to_address', '=', 'ghost@example.test').execute();
      assert.equal(rows.length, 0);
    });
  });
}

defineSuite('sqlite', undefined);
defineSuite('mysql', await needService('MariaDB', MYSQL_ADMIN_URL));
