// The mail API the rest of Quire calls. Mail is never sent inside a request: it is stored in the
// outbox table, and the sender (sender.ts, started by bin/www when SMTP_URL is set) delivers it.
//
//   mailEnabled(config)            true when SMTP_URL is set: offer "we emailed you a link" only then
//   sendMail(db, message)          store one message and wake this process's sender; call it after the
//                                  transaction that decided to send has committed (or with no transaction)
//   enqueueMail(trx, message)      store only, inside the caller's transaction, so the mail exists exactly
//                                  when the change that caused it does; call wakeMailer() after the commit
//                                  (else the sender finds it at its next poll, within a few seconds)
//
// message is { to, subject, text, html? }; messages.ts builds the three Quire sends. Mail is stored
// even when SMTP_URL is unset, so nothing is lost if mail is configured later; the sender gives up on
// messages older than MAIL_MAX_AGE_HOURS instead of sending a stale link (docs/operations.md#email).
import type { Config } from '../config.js';
import { invalid } from '../core/errors.js';
import type { Db } from '../db/database.js';
import { insertMail } from './outbox.repo.js';

export interface MailMessage {
  /** One address, already validated by the caller (a user's email). */
  to: string;
  subject: string;
  text: string;
  html?: string;
}

export const mailEnabled = (config: Pick<Config, 'SMTP_URL'>): boolean => Boolean(config.SMTP_URL);

// One bare address: no display name, no list, nothing a header could be split with.
const address = /^[^\s@<>()[\],;:"\\]+@[^\s@<>()[\],;:"\\]+\.[^\s@<>()[\],;:"\\]+$/;
const lineBreak = /[\r\n]/;
const MAX_SUBJECT = 500;
const MAX_BODY_BYTES = 1024 * 1024;

/** Refuses what could inject a header or cannot be stored: a 422, so a bad address never becomes a 500. */
function checkMessage(message: MailMessage): void {
  if (message.to.length > 320 || !address.test(message.to)) throw invalid('email', 'is not an address mail can be sent to');
  if (lineBreak.test(message.subject)) throw invalid('subject', 'must be one line');
  if (message.subject.length === 0 || message.subject.length > MAX_SUBJECT) throw invalid('subject', `must be 1 to ${MAX_SUBJECT} characters`);
  for (const body of [message.text, message.html ?? '']) {
    if (Buffer.byteLength(body) > MAX_BODY_BYTES) throw invalid('body', 'is too long for a mail');
  }
}

/** Stores one message (one INSERT, through db, which may be the caller's transaction). Never talks to SMTP. */
export async function enqueueMail(db: Db, message: MailMessage): Promise<number> {
  checkMessage(message);
  return insertMail(db, { to_address: message.to, subject: message.subject, text_body: message.text, html_body: message.html ?? null }, Date.now());
}

const wakers = new Set<() => void>();

/** The sender's hook: called after each sendMail in this process. Returns the unsubscribe. */
export function onMailQueued(wake: () => void): () => void {
  wakers.add(wake);
  return () => wakers.delete(wake);
}

/** Tells this process's sender that mail is waiting, instead of leaving it to the next poll. */
export function wakeMailer(): void {
  for (const wake of wakers) wake();
}

/** enqueueMail, then wakeMailer: the call for mail whose cause is already committed. */
export async function sendMail(db: Db, message: MailMessage): Promise<number> {
  const id = await enqueueMail(db, message);
  wakeMailer();
  return id;
}
