// The application log: JSON lines through pino, tagged with the worker id.
import { AsyncLocalStorage } from 'node:async_hooks';
import { pino, type Logger } from 'pino';

export type { Logger };

// The request being served, so every line logged while serving it names its request id
// without passing a child logger through every call.
const currentRequest = new AsyncLocalStorage<string>();

export function runWithRequestId<T>(requestId: string, work: () => Promise<T>): Promise<T> {
  return currentRequest.run(requestId, work);
}

function requestIdMixin(): Record<string, string> {
  const requestId = currentRequest.getStore();
  return requestId ? { requestId } : {};
}

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
    return pino({ level, base, mixin: requestIdMixin }, streams);
  }
  return pino({ level, base, mixin: requestIdMixin }, destination);
}
