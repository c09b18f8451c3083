// The application log: JSON lines through pino, tagged with the worker id.
import { pino, type Logger } from 'pino';

export type { Logger };

/**
 * destination defaults to process.stdout (not pino's raw fd 1): under a pm2 cluster only writes
 * through process.stdout reach pm2's log capture. errorFile, when given, also receives every
 * error and fatal line (with its stack) — LOG_DIR/error.log.
 */
export function createLogger(level: string, destination: NodeJS.WritableStream = process.stdout, errorFile?: NodeJS.WritableStream): Logger {
  const base = { pid: process.pid, worker: process.env.NODE_APP_INSTANCE ?? process.env.pm_id ?? '0' };
  if (errorFile && level !== 'silent') {
    const streams = pino.multistream([
      { level: level as pino.Level, stream: destination },
      { level: 'error', stream: errorFile },
    ]);
    return pino({ level, base }, streams);
  }
  return pino({ level, base }, destination);
}
