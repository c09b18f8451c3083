// Starts a real Quire app on 127.0.0.1, port 0, over SQLite (temp file) or a fresh MariaDB database.
import fs from 'node:fs';
import http from 'node:http';
import os from 'node:os';
import path from 'node:path';
import type { AddressInfo } from 'node:net';
import { createRequestHandler } from '../src/app.js';
import { closeServices, openServices } from '../src/boot.js';
import { loadConfig } from '../src/config.js';
import { createLogger } from '../src/runtime/logger.js';
import type { AppDeps } from '../src/runtime/deps.js';
import { createMysqlDatabase } from './services.js';

export type TestDialect = 'sqlite' | 'mysql';

export interface TestServer {
  url: string;
  deps: AppDeps;
  dataDir: string;
  close(): Promise<void>;
}

/** Listens on 127.0.0.1 at a free port; resolves to the server's base URL. */
export async function listenLocally(server: http.Server): Promise<string> {
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
}

export async function startTestServer(dialect: TestDialect, env: Record<string, string> = {}): Promise<TestServer> {
  const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'quire-test-'));
  const mysql = dialect === 'mysql' ? await createMysqlDatabase() : undefined;
  const config = loadConfig({
    NODE_ENV: 'test',
    DATA_DIR: dataDir,
    LOG_DIR: path.join(dataDir, 'logs'),
    DATABASE_URL: mysql?.url ?? `sqlite:${path.join(dataDir, 'quire.db')}`,
    QUIRE_SECRET: 'test-secret-that-is-long-enough-0123456789',
    LOG_LEVEL: process.env.TEST_LOG_LEVEL ?? 'silent',
    ...env,
  });
  const deps = await openServices(config, createLogger(config.LOG_LEVEL));
  const server = http.createServer(createRequestHandler(deps));
  const url = await listenLocally(server);
  return {
    url,
    deps,
    dataDir,
    async close() {
      server.closeAllConnections();
      await new Promise<void>((resolve) => server.close(() => resolve()));
      await closeServices(deps);
      await mysql?.drop();
      fs.rmSync(dataDir, { recursive: true, force: true });
    },
  };
}
