// Every line of the outbox's SQL. A claim is a conditional UPDATE: of two senders (workers or
// machines) that pick the same row, exactly one changes it, and only that one sends.
import type { Db } from '../db/database.js';
import type { MailRow } from './mail.table.js';

export type NewMail = Pick<MailRow, 'to_address' | 'subject' | 'text_body' | 'html_body'>;

/** Stores a message, due at once. */
export async function insertMail(db: Db, mail: NewMail, now: number): Promise<number> {
  const result = await db.insertInto('mail_outbox').values({ ...mail, created_at: now, next_attempt_at: now })
    .executeTakeFirstOrThrow();
  return Number(result.insertId);
}

/** Ids of mail due now whose lease (if any) has run out, oldest due first. */
export async function dueMailIds(db: Db, now: number, limit: number): Promise<number[]> {
  const rows = await db.selectFrom('mail_outbox').select('id')
    .where('next_attempt_at', '<=', now)
    .where((eb) => eb.or([eb('lease_until', 'is', null), eb('lease_until', '<', now)]))
    .orderBy('next_attempt_at').orderBy('id')
    .limit(limit)
    .execute();
  return rows.map((row) => row.id);
}

/**
 * Takes the lease on one message until leaseUntil; undefined when another sender holds it, or it
 * was sent, given up on or put off since it was listed.
 */
export async function claimMail(db: Db, id: number, now: number, leaseUntil: number): Promise<MailRow | undefined> {
  const result = await db.updateTable('mail_outbox').set({ lease_until: leaseUntil })
    .where('id', '=', id)
    .where('sent_at', 'is', null)
    .where('next_attempt_at', '<=', now)
    .where((eb) => eb.or([eb('lease_until', 'is', null), eb('lease_until', '<', now)]))
    .executeTakeFirst();
  if (Number(result.numUpdatedRows) !== 1) return undefined;
  return db.selectFrom('mail_outbox').selectAll().where('id', '=', id).executeTakeFirst();
}

/** Marks a message sent, if this sender's lease still holds it. */
export async function markSent(db: Db, id: number, leaseUntil: number, now: number): Promise<void> {
  await db.updateTable('mail_outbox')
    .set((eb) => ({ sent_at: now, next_attempt_at: null, lease_until: null, attempts: eb('attempts', '+', 1), last_error: null }))
    .where('id', '=', id).where('lease_until', '=', leaseUntil)
    .execute();
}

/** Records a failed attempt: tried again at retryAt, or given up on (failed_at) when retryAt is undefined. */
export async function markFailed(db: Db, id: number, leaseUntil: number, now: number, error: string, retryAt: number | undefined): Promise<void> {
  await db.updateTable('mail_outbox')
    .set((eb) => ({
      attempts: eb('attempts', '+', 1),
      last_error: error.slice(0, 500),
      lease_until: null,
      next_attempt_at: retryAt ?? null,
      failed_at: retryAt === undefined ? now : null,
    }))
    .where('id', '=', id).where('lease_until', '=', leaseUntil)
    .execute();
}
