// Row shape of the mail outbox (migration 013): every message Quire means to send, kept until it is
// sent or given up on, so a mail server that is down loses nothing. Times are epoch milliseconds.
import type { Generated, Selectable } from 'kysely';

export interface MailOutboxTable {
  id: Generated<number>;
  /** One recipient, checked for CR/LF and shape by enqueueMail. */
  to_address: string;
  subject: string;
  text_body: string;
  html_body: string | null;
  created_at: number;
  /** Sends tried so far, failed or not. */
  attempts: Generated<number>;
  /** When a sender may next try it; NULL once it is sent or given up on (so the due index holds only pending mail). */
  next_attempt_at: number | null;
  /** A sender's claim: nobody else tries it before this time (src/mail/sender.ts). */
  lease_until: number | null;
  sent_at: number | null;
  /** Set when the sender gave up: too many attempts, a permanent refusal, or too old to send. */
  failed_at: number | null;
  last_error: string | null;
}
export type MailRow = Selectable<MailOutboxTable>;

declare module '../db/schema.js' {
  interface Database {
    mail_outbox: MailOutboxTable;
  }
}
