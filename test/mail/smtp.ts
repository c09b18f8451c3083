// A real SMTP server for the mail tests (the smtp-server package), on 127.0.0.1: no auth, no
// STARTTLS, every message kept in memory. It can be stopped and started again on the same port.
import type { AddressInfo } from 'node:net';
import { SMTPServer, type SMTPServerAddress } from 'smtp-server';

export interface ReceivedMail {
  from: string;
  to: string[];
  raw: string;
  /** raw with quoted-printable undone (soft line breaks joined, =XX decoded), for matching bodies. */
  decoded: string;
  /** The Subject header as sent (our test subjects are ASCII, so not encoded). */
  subject: string;
}

export interface TestSmtp {
  port: number;
  url: string;
  received: ReceivedMail[];
  /** Stops listening and drops open connections (as a crashed server would). */
  stop(): Promise<void>;
  /** Listens again on the same port. */
  start(): Promise<void>;
}

export interface TestSmtpOptions {
  /** Refuses a recipient the way a real server does (e.g. 550). */
  refuse?: (address: string) => { code: number; message: string } | undefined;
}

export async function startSmtp(opts: TestSmtpOptions = {}): Promise<TestSmtp> {
  const received: ReceivedMail[] = [];
  let server: SMTPServer;
  let port = 0;

  const make = () => new SMTPServer({
    authOptional: true,
    disabledCommands: ['STARTTLS'],
    logger: false,
    closeTimeout: 50,
    onRcptTo(address: SMTPServerAddress, _session, callback) {
      const refusal = opts.refuse?.(address.address);
      if (!refusal) return callback();
      return callback(Object.assign(new Error(refusal.message), { responseCode: refusal.code }));
    },
    onData(stream, session, callback) {
      const chunks: Buffer[] = [];
      stream.on('data', (chunk: Buffer) => chunks.push(chunk));
      stream.on('end', () => {
        const raw = Buffer.concat(chunks).toString('utf8');
        const subject = /^Subject: (.*)$/m.exec(raw)?.[1]?.trim() ?? '';
        const from = session.envelope.mailFrom ? session.envelope.mailFrom.address : '';
        const decoded = Buffer.from(raw.replace(/=\r\n/g, '').replace(/=([0-9A-F]{2})/g, (_, hex: string) => String.fromCharCode(parseInt(hex, 16))), 'latin1').toString('utf8');
        received.push({ from, to: session.envelope.rcptTo.map((r) => r.address), raw, decoded, subject });
        callback();
      });
    },
  });

  const listen = () => new Promise<void>((resolve, reject) => {
    server = make();
    server.on('error', reject);
    server.listen(port, '127.0.0.1', () => {
      port = (server.server.address() as AddressInfo).port;
      resolve();
    });
  });

  await listen();
  return {
    get port() { return port; },
    get url() { return `smtp://127.0.0.1:${port}`; },
    received,
    stop: () => new Promise<void>((resolve) => server.close(() => resolve())),
    start: listen,
  };
}
