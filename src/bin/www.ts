// Boot, top to bottom: config → logger → database (+ migrations) → app → listen → ready.
// On SIGINT/SIGTERM: stop accepting, finish in-flight requests, close the database, exit 0.
import http from 'node:http';
import { performance } from 'node:perf_hooks';
import { createApp } from '../app.js';
import { BootError, closeServices, openServices } from '../boot.js';
import { ConfigError, loadConfig } from '../config.js';
import { createLogger } from '../platform/logger.js';

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
  const logger = createLogger(config.LOG_LEVEL);
  logger.debug(phase('config'), 'boot');

  const deps = await openServices(config, logger).catch((err: unknown) => {
    if (err instanceof BootError) fail(err.message);
    throw err;
  });
  logger.debug(phase('database'), 'boot');

  const app = createApp(deps);
  const server = http.createServer(app.callback());
  // Longer than nginx's upstream keepalive_timeout (60 s), so nginx closes idle sockets first.
  server.keepAliveTimeout = 65_000;
  server.headersTimeout = 66_000;

  server.on('error', (err: NodeJS.ErrnoException) => fail(`cannot listen on ${config.HOST}:${config.PORT}: ${err.code ?? err.message}`));
  server.listen(config.PORT, config.HOST, () => {
    const address = server.address();
    const port = typeof address === 'object' && address ? address.port : config.PORT;
    logger.info({ ...phase('ready'), url: `http://${config.HOST}:${port}`, database: deps.database.label }, 'quire is ready');
    process.send?.('ready'); // pm2 wait_ready
  });

  let stopping = false;
  const shutdown = async (signal: string) => {
    if (stopping) return;
    stopping = true;
    logger.info({ signal }, 'draining');
    const force = setTimeout(() => server.closeAllConnections(), config.SHUTDOWN_TIMEOUT_MS - 500);
    force.unref();
    const closed = new Promise<void>((resolve) => server.close(() => resolve()));
    server.closeIdleConnections();
    await closed;
    await closeServices(deps);
    logger.info('stopped');
    process.exit(0);
  };
  process.on('SIGINT', () => void shutdown('SIGINT'));
  process.on('SIGTERM', () => void shutdown('SIGTERM'));
  // pm2 on Windows-style shutdown sends a message instead of a signal.
  process.on('message', (msg) => { if (msg === 'shutdown') void shutdown('message'); });
  process.on('unhandledRejection', (err) => logger.error({ err }, 'unhandled rejection'));
}

await main();
