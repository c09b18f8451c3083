// The application log: JSON lines through pino, tagged with the worker id.
import { pino, type Logger } from 'pino';

export type { Logger };

export function createLogger(level: string, destination?: NodeJS.WritableStream): Logger {
  const base = { pid: process.pid, worker: process.env.NODE_APP_INSTANCE ?? process.env.pm_id ?? '0' };
  return destination ? pino({ level, base }, destination) : pino({ level, base });
}
