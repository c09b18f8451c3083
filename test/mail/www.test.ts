// The real server process with SMTP_URL set: mail queued while Quire was down (here, before it
// started) is sent once it boots, and SIGTERM still stops it cleanly with the mailer running.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import path from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { openDatabase } from '../../src/db/database.js';
import { migrateToLatest } from '../../src/db/migrate.js';
import { enqueueMail } from '../../src/mail/outbox.js';
import { inviteMail } from '../../src/mail/messages.js';
import { withTempDir } from '../../support/temp-dir.js';
import { startWww, stopWww } from '../../support/www.js';
import { startSmtp } from './smtp.js';

test('when bin/www boots with SMTP_URL, then mail already queued is sent, and SIGTERM still exits 0', async () => {
  await withTempDir('quire-mail-www-', async (dir) => {
    const databaseUrl = `sqlite:${path.join(dir, 'quire.db')}`;
    const database = openDatabase(databaseUrl);
    await migrateToLatest(database.db);
    await enqueueMail(database.db, { to: 'invitee@example.test', ...inviteMail('Boot Blog', 'https://boot.example.test/register?invite=t0k3n', 'editor') });
    await database.close();

    const smtp = await startSmtp();
    const www = startWww({ PORT: '0', DATABASE_URL: databaseUrl, SMTP_URL: smtp.url, MAIL_FROM: 'Boot Blog <blog@example.test>' });
    try {
      await www.ready;
      const deadline = Date.now() + 10_000;
      while (smtp.received.length === 0 && Date.now() < deadline) await sleep(20);
      assert.equal(smtp.received.length, 1, `stderr: ${www.stderr()}`);
      assert.equal(smtp.received[0]!.subject, 'You are invited to Boot Blog');
      assert.match(smtp.received[0]!.decoded, /as an editor/);
    } finally {
      await stopWww(www);
      await smtp.stop();
    }
    assert.equal(www.child.exitCode, 0);
  });
});

test('when SMTP_URL is set without MAIL_FROM, then bin/www refuses to start, naming MAIL_FROM', async () => {
  const www = startWww({ PORT: '0', DATABASE_URL: 'sqlite::memory:', SMTP_URL: 'smtp://127.0.0.1:2525' });
  assert.equal(await www.exited, 1);
  assert.match(www.stderr(), /invalid MAIL_FROM\b.*: must be set when SMTP_URL is set/);
});
