// `quire doctor`: checks the setup this environment describes, one line per check — ✓ fine,
// ! worth a look, ✗ broken (the exit code is then 1), · for information. Run it before a start or a
// deploy, on each machine, with the same environment the app gets.
import fs from 'node:fs';
import path from 'node:path';
import { ConfigError, loadConfig, type Config } from '../config.js';
import { openDatabase } from '../db/database.js';
import { pendingMigrations } from '../db/migrate.js';

type Mark = '✓' | '!' | '✗' | '·';
interface Finding { mark: Mark; text: string }

const ok = (text: string): Finding => ({ mark: '✓', text });
const warn = (text: string): Finding => ({ mark: '!', text });
const fail = (text: string): Finding => ({ mark: '✗', text });
const info = (text: string): Finding => ({ mark: '·', text });

/** The most useful words of an error: Node's connection errors can be an AggregateError with no message. */
function reasonOf(err: unknown): string {
  const e = (err instanceof AggregateError && err.errors[0]) || err;
  if (!(e instanceof Error)) return String(e);
  return e.message || (e as NodeJS.ErrnoException).code || e.name;
}

const isLoopback = (host: string) => host === 'localhost' || host.startsWith('127.') || host === '::1' || host === '[::1]';

async function checkDatabase(config: Readonly<Config>): Promise<Finding> {
  if (config.DATABASE_URL.startsWith('sqlite:')) {
    const file = config.DATABASE_URL.slice('sqlite:'.length);
    // Opening would create it: say so instead, and leave the disk as it was.
    if (file !== ':memory:' && !fs.existsSync(file)) return info(`database: ${file} does not exist yet; it is created and migrated at the first start`);
  }
  const database = openDatabase(config.DATABASE_URL, { poolSize: 1 });
  try {
    await database.ping();
    const pending = await pendingMigrations(database.db);
    if (pending.length > 0) return warn(`database: ${database.label} answers; pending migrations ${pending.join(', ')} run at the next start (or now: quire migrate)`);
    return ok(`database: ${database.label} answers, migrations up to date`);
  } catch (err) {
    return fail(`database: cannot use ${database.label}: ${reasonOf(err)}`);
  } finally {
    await database.close().catch(() => undefined);
  }
}

async function checkRedis(url: string): Promise<Finding> {
  const { Redis } = await import('ioredis');
  const where = new URL(url).host;
  // One attempt, no reconnecting: a doctor reports, it does not wait for Redis to come back.
  const redis = new Redis(url, { lazyConnect: true, connectTimeout: 3000, maxRetriesPerRequest: 0, enableOfflineQueue: false, retryStrategy: () => null });
  let lastError: unknown;
  redis.on('error', (err) => { lastError = err; });
  try {
    await redis.connect();
    await redis.ping();
    return ok(`Redis: answers at ${where}`);
  } catch (err) {
    // connect() rejects with "Connection is closed."; the error event says why.
    return fail(`Redis: no answer at ${where}: ${reasonOf(lastError ?? err)}`);
  } finally {
    redis.disconnect();
  }
}

/** Why this looks like one of several machines sharing state, if it does. */
function multiHostReason(config: Readonly<Config>): string | undefined {
  if (config.REDIS_URL) return 'REDIS_URL is set';
  if (config.DATABASE_URL.startsWith('sqlite:')) return undefined;
  const host = new URL(config.DATABASE_URL.replace(/^mariadb:/, 'mysql:')).hostname;
  return isLoopback(host) ? undefined : `the database is on ${host}`;
}

function checkSecret(config: Readonly<Config>): Finding {
  if (config.QUIRE_SECRET) return ok('QUIRE_SECRET: set');
  const file = path.join(config.DATA_DIR, 'secret');
  const reason = multiHostReason(config);
  if (reason) return warn(`QUIRE_SECRET: unset, but this looks multi-host (${reason}): each machine would generate its own in ${file} and reject the others' cookies and tokens; set the same QUIRE_SECRET on every machine`);
  return ok(`QUIRE_SECRET: unset; generated in ${file} and shared by this machine's workers`);
}

function checkProxyTrust(config: Readonly<Config>): Finding | undefined {
  if (config.TRUST_PROXY.length > 0) return ok(`TRUST_PROXY: X-Forwarded-* believed from ${config.TRUST_PROXY.join(', ')}`);
  if (!config.isProduction || !['0.0.0.0', '::', '[::]'].includes(config.HOST)) return undefined;
  return warn(`TRUST_PROXY: unset while listening on ${config.HOST} in production: behind nginx every client has nginx's address (logs, sign-in rate limit) and https goes unseen; set it to nginx's address`);
}

function checkLogDir(dir: string): Finding {
  const resolved = path.resolve(dir);
  let existing = resolved;
  while (!fs.existsSync(existing)) existing = path.dirname(existing);
  try {
    if (!fs.statSync(existing).isDirectory()) throw new Error(`${existing} is not a directory`);
    fs.accessSync(existing, fs.constants.W_OK);
  } catch (err) {
    return fail(`LOG_DIR: ${dir} is not writable (${reasonOf(err)}): access and error logs would be lost`);
  }
  return ok(existing === resolved ? `LOG_DIR: ${dir} is writable` : `LOG_DIR: ${dir} will be created (${existing} is writable)`);
}

function findNginx(): Finding {
  const dirs = [...(process.env.PATH ?? '').split(path.delimiter).filter(Boolean), '/usr/sbin', '/usr/local/sbin'];
  const found = dirs.map((dir) => path.join(dir, 'nginx')).find((file) => {
    try {
      fs.accessSync(file, fs.constants.X_OK);
      return fs.statSync(file).isFile();
    } catch {
      return false;
    }
  });
  return found ? info(`nginx: ${found}`) : info('nginx: not found on PATH or in /usr/sbin (needed only where nginx balances)');
}

function readConfig(): { config?: Readonly<Config>; finding: Finding } {
  try {
    const config = loadConfig();
    return { config, finding: ok(`config: NODE_ENV=${config.NODE_ENV}, listening on ${config.HOST}:${config.PORT}`) };
  } catch (err) {
    if (!(err instanceof ConfigError)) throw err;
    return { finding: fail(`config: ${err.message}`) };
  }
}

export async function run(): Promise<void> {
  const findings: Finding[] = [];
  const report = (finding: Finding | undefined) => {
    if (!finding) return;
    findings.push(finding);
    process.stdout.write(`${finding.mark} ${finding.text}\n`);
  };
  const { config, finding } = readConfig();
  report(finding);
  // Every other check reads the config: without one there is nothing more to say.
  if (config) {
    report(await checkDatabase(config));
    if (config.REDIS_URL) report(await checkRedis(config.REDIS_URL));
    report(checkSecret(config));
    report(checkProxyTrust(config));
    report(checkLogDir(config.LOG_DIR));
    report(findNginx());
  }
  const failed = findings.filter((f) => f.mark === '✗').length;
  const warned = findings.filter((f) => f.mark === '!').length;
  process.stdout.write(failed + warned === 0 ? 'all good\n' : `${failed} failed, ${warned} to look at\n`);
  if (failed > 0) process.exitCode = 1;
}
