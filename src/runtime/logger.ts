// The application log: JSON lines through pino, tagged with the worker id.
// Lines logged while serving a request name it ({ requestId: ctx.state.requestId }). Not through an
// AsyncLocalStorage mixin: on Node 20 that turns on a hook for every promise the process makes
// (docs/decisions/20-no-async-local-storage.md), and every place that logs during a request has its
// ctx at hand.
import { pino, type Logger } from 'pino';

export type { Logger };

/**
 * destination defaults to process.stdout (not pino's raw fd 1): under a pm2 cluster only writes
 * through process.stdout reach pm2's log capture. errorFile, when given, also receives every
 * error and fatal line (with its stack) — LOG_DIR/error.log. worker is the pm2 instance id (config.NODE_APP_INSTANCE).
 */
export function createLogger(level: string, destination: NodeJS.WritableStream = process.stdout, errorFile?: NodeJS.WritableStream, worker = '0'): Logger {
  const base = { pid: process.pid, worker };
  if (errorFile && level !== 'silent') {
    const streams = pino.multistream([
      { level: level as pino.Level, stream: destination },
      { level: 'error', stream: errorFile },
    ]);
    return pino({ level, base }, streams);
  }
  return pino({ level, base }, destination);
}
