// The mail sender: one per process, started by bin/www when SMTP_URL is set. It polls the outbox
// (and wakes at once after a sendMail in this process), leases each due message before sending it,
// so two workers or machines never send one twice, and retries failures with exponential backoff.
// A request never waits on it: a stalled SMTP server costs only this loop's time.
import nodemailer from 'nodemailer';
import type { Config } from '../config.js';
import type { DatabaseHandle } from '../db/database.js';
import type { Logger } from '../runtime/logger.js';
import { claimMail, dueMailIds, markFailed, markSent } from './outbox.repo.js';
import { onMailQueued } from './outbox.js';
import type { MailRow } from './mail.table.js';

export interface MailerTiming {
  /** How often the outbox is read for due mail (a sendMail in this process wakes the sender sooner). */
  pollMs: number;
  /** How long a claim keeps other senders off a message: longer than sendTimeoutMs, so no claim runs out mid-send. */
  leaseMs: number;
  /** The most one send may take, connecting included, before it counts as failed. */
  sendTimeoutMs: number;
  /** The first retry's delay; each failure doubles it, up to retryMaxMs. */
  retryBaseMs: number;
  retryMaxMs: number;
  /** Attempts before a message is given up on (kept, with failed_at and last_error). */
  maxAttempts: number;
}

export const defaultTiming: MailerTiming = {
  pollMs: 5_000,
  leaseMs: 60_000,
  sendTimeoutMs: 30_000,
  retryBaseMs: 30_000,
  retryMaxMs: 3_600_000,
  maxAttempts: 10,
};

export interface Mailer {
  /** Stops polling, waits up to waitMs for a send in flight, and closes the SMTP connections. */
  stop(waitMs?: number): Promise<void>;
}

export interface MailerDeps {
  database: DatabaseHandle;
  config: Readonly<Pick<Config, 'SMTP_URL' | 'MAIL_FROM' | 'MAIL_MAX_AGE_HOURS'>>;
  logger: Logger;
  /** Tests shorten these; production keeps the defaults. */
  timing?: Partial<MailerTiming>;
}

const BATCH = 20;
const stopped: Mailer = { stop: async () => undefined };

/** The delay before attempt n+1, after n failed attempts: base × 2^(n-1), capped. */
export const retryDelay = (failedAttempts: number, timing: Pick<MailerTiming, 'retryBaseMs' | 'retryMaxMs'>): number =>
  Math.min(timing.retryBaseMs * 2 ** Math.max(0, failedAttempts - 1), timing.retryMaxMs);

/** An SMTP 5xx reply is a refusal sending again would meet again; 503 only means a confused session. */
const isPermanent = (err: unknown): boolean => {
  const code = (err as { responseCode?: number } | null)?.responseCode;
  return typeof code === 'number' && code >= 500 && code < 600 && code !== 503;
};

export function startMailer({ database, config, logger, timing: overrides }: MailerDeps): Mailer {
  if (!config.SMTP_URL || !config.MAIL_FROM) return stopped;
  const timing = { ...defaultTiming, ...overrides };
  const db = database.db;
  const log = logger.child({ component: 'mail', smtp: new URL(config.SMTP_URL).host });
  const maxAgeMs = config.MAIL_MAX_AGE_HOURS * 3_600_000;
  const from = config.MAIL_FROM;
  // One pooled transport: connections are reused between messages; each step has a short deadline.
  const transport = nodemailer.createTransport({
    pool: true, url: config.SMTP_URL, maxConnections: 1,
    connectionTimeout: 10_000, greetingTimeout: 10_000, socketTimeout: 10_000, dnsTimeout: 10_000,
  });
  // Each send's own failure is handled below; an 'error' event left unheard would end the process.
  transport.on('error', (err: Error) => log.warn({ err: err.message }, 'SMTP transport error'));

  let timer: NodeJS.Timeout | undefined;
  let running: Promise<void> | undefined;
  let wokenWhileRunning = false;
  let stopping = false;
  let databaseDown = false;

  const schedule = (ms: number) => {
    clearTimeout(timer);
    if (!stopping) timer = setTimeout(run, ms).unref();
  };

  function run(): void {
    if (stopping) return;
    if (running) {
      wokenWhileRunning = true;
      return;
    }
    running = sendDue().finally(() => {
      running = undefined;
      schedule(wokenWhileRunning ? 0 : timing.pollMs);
      wokenWhileRunning = false;
    });
  }

  async function sendDue(): Promise<void> {
    try {
      let ids: number[];
      do {
        wokenWhileRunning = false;
        ids = await dueMailIds(db, Date.now(), BATCH);
        for (const id of ids) {
          if (stopping) return;
          await sendOne(id);
        }
      } while (!stopping && ids.length === BATCH);
      if (databaseDown) log.info('outbox readable again');
      databaseDown = false;
    } catch (err) {
      // The database is down or busy: the mail is safe in it; try again at the next poll, and say so once.
      if (!databaseDown) log.warn({ err }, 'cannot read the outbox; retrying at each poll');
      databaseDown = true;
    }
  }

  async function sendOne(id: number): Promise<void> {
    const now = Date.now();
    const leaseUntil = now + timing.leaseMs;
    const mail = await claimMail(db, id, now, leaseUntil);
    if (!mail) return; // another sender has it, or it changed since it was listed
    if (now - mail.created_at > maxAgeMs) {
      await markFailed(db, id, leaseUntil, now, 'expired: older than MAIL_MAX_AGE_HOURS before it could be sent', undefined);
      log.warn({ mailId: id, attempts: mail.attempts }, 'mail given up: too old to send');
      return;
    }
    try {
      await deliver(mail);
    } catch (err) {
      const attempts = mail.attempts + 1;
      const message = err instanceof Error ? err.message : String(err);
      const giveUp = attempts >= timing.maxAttempts || isPermanent(err);
      const retryAt = giveUp ? undefined : Date.now() + retryDelay(attempts, timing);
      await markFailed(db, id, leaseUntil, Date.now(), message, retryAt);
      if (giveUp) log.error({ mailId: id, attempts, err: message }, 'mail given up');
      else log.warn({ mailId: id, attempts, retryInMs: retryAt! - Date.now(), err: message }, 'mail not sent; will retry');
      return;
    }
    // Should this write fail, the lease runs out and the mail is sent again: at least once, never lost.
    await markSent(db, id, leaseUntil, Date.now());
    log.info({ mailId: id, attempts: mail.attempts + 1 }, 'mail sent');
  }

  async function deliver(mail: MailRow): Promise<void> {
    let deadline: NodeJS.Timeout | undefined;
    const timedOut = new Promise<never>((_, reject) => {
      deadline = setTimeout(() => reject(new Error(`no answer from the SMTP server within ${timing.sendTimeoutMs} ms`)), timing.sendTimeoutMs);
    });
    try {
      await Promise.race([transport.sendMail({
        from, to: mail.to_address, subject: mail.subject, text: mail.text_body, html: mail.html_body ?? undefined,
      }), timedOut]);
    } finally {
      clearTimeout(deadline);
    }
  }

  const unsubscribe = onMailQueued(() => schedule(0));
  schedule(0);
  log.info('mail sender started');

  return {
    async stop(waitMs = 2_000) {
      stopping = true;
      clearTimeout(timer);
      unsubscribe();
      if (running) {
        let bound: NodeJS.Timeout | undefined;
        await Promise.race([running, new Promise((resolve) => { bound = setTimeout(resolve, waitMs); })]);
        clearTimeout(bound);
      }
      transport.close();
    },
  };
}
