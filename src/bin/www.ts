// Boot, top to bottom: config → logger → database (+ migrations) → mailer → app → listen → ready.
// On SIGINT/SIGTERM (pm2 stop/reload): stop accepting, finish in-flight requests, close keep-alive
// sockets, stop the mailer, close the database and Redis, exit 0 — all within SHUTDOWN_TIMEOUT_MS, which pm2's
// kill_timeout (deploy/ecosystem.config.cjs) exceeds.
import { performance } from 'node:perf_hooks';
import { createRequestHandler } from '../app.js';
import { BootError, closeServices, openServices } from '../boot.js';
import { ConfigError, loadConfig } from '../config.js';
import { createDrainableServer } from '../runtime/drain.js';
import { createLogger } from '../runtime/logger.js';
import { startMailer } from '../mail/sender.js';
import { logFileOptions, openLogFile } from '../runtime/log-files.js';
import { settleHeap } from '../runtime/heap.js';

function fail(message: string): never {
  process.stderr.write(`quire: ${message}\n`);
  process.exit(1);
}

export async function main(): Promise<void> {
  const t0 = performance.now();
  const phase = (name: string) => ({ phase: name, ms: Math.round(performance.now() - t0) });

  let config;
  try {
    config = loadConfig();
  } catch (err) {
    if (err instanceof ConfigError) fail(err.message);
    throw err;
  }
  const logger = createLogger(config.LOG_LEVEL, undefined, openLogFile(logFileOptions(config, 'error')), config.NODE_APP_INSTANCE);
  logger.debug(phase('config'), 'boot');

  const deps = await openServices(config, logger).catch((err: unknown) => {
    if (err instanceof BootError) fail(err.message);
    throw err;
  });
  logger.debug(phase('database'), 'boot');
  // Sends queued mail in the background when SMTP_URL is set (src/mail/sender.ts); a no-op otherwise.
  const mailer = startMailer(deps);

  const { server, drain } = createDrainableServer(createRequestHandler(deps));
  // Longer than nginx's upstream keepalive_timeout (60 s), so nginx closes idle sockets first.
  server.keepAliveTimeout = 65_000;
  server.headersTimeout = 66_000;

  server.on('error', (err: NodeJS.ErrnoException) => fail(`cannot listen on ${config.HOST}:${config.PORT}: ${err.code ?? err.message}`));
  server.listen(config.PORT, config.HOST, () => {
    const address = server.address();
    const port = typeof address === 'object' && address ? address.port : config.PORT;
    logger.info({ ...phase('ready'), url: `http://${config.HOST}:${port}`, database: deps.database.label }, 'quire is ready');
    process.send?.('ready'); // pm2 wait_ready
    // Ready first: serving comes before giving boot's memory back (src/runtime/heap.ts).
    settleHeap().then((settled) => {
      if (settled) logger.debug({ youngBytes: [settled.before, settled.after], collections: settled.collections, oldUsedBytes: settled.oldUsed, fullMs: settled.fullMs }, 'heap settled');
    }, (err: unknown) => logger.warn({ err }, 'could not settle the heap after boot'));
  });

  let stopping = false;
  const shutdown = async (signal: string) => {
    if (stopping) return;
    stopping = true;
    const stopStarted = performance.now();
    logger.info({ signal }, 'draining');
    // Last resort, should closing the database or Redis hang: pm2 would SIGKILL us anyway.
    setTimeout(() => {
      logger.error({ timeoutMs: config.SHUTDOWN_TIMEOUT_MS }, 'shutdown timed out');
      process.exit(1);
    }, config.SHUTDOWN_TIMEOUT_MS).unref();
    // Most of the budget goes to in-flight requests; what is left closes the services.
    const { forced } = await drain(Math.floor(config.SHUTDOWN_TIMEOUT_MS * 0.8));
    if (forced) logger.warn('connections still open at the drain deadline were closed');
    // After the requests (which may queue mail), before the database it reads: a send in flight may finish.
    await mailer.stop(Math.floor(config.SHUTDOWN_TIMEOUT_MS * 0.1));
    await closeServices(deps);
    logger.info({ ms: Math.round(performance.now() - stopStarted) }, 'stopped');
    process.exit(0);
  };
  process.on('SIGINT', () => void shutdown('SIGINT'));
  process.on('SIGTERM', () => void shutdown('SIGTERM'));
  // pm2 on Windows-style shutdown sends a message instead of a signal.
  process.on('message', (msg) => { if (msg === 'shutdown') void shutdown('message'); });
  process.on('unhandledRejection', (err) => logger.error({ err }, 'unhandled rejection'));
}

await main();
