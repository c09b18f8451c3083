// The only reader of process.env: one zod schema, parsed once at start, frozen.
// A bad value stops the start with a one-line message naming the variable.
import { isIP } from 'node:net';
import { z } from 'zod';

const portNumber = z.coerce.number().int().min(0).max(65535);
const flag = z.enum(['0', '1', 'true', 'false', 'yes', 'no', 'on', 'off', ''])
  .transform((v) => ['1', 'true', 'yes', 'on'].includes(v));

function isAddressOrRange(entry: string): boolean {
  const [address = '', prefix, extra] = entry.split('/');
  const family = isIP(address);
  if (family === 0 || extra !== undefined) return false;
  return prefix === undefined || (/^\d{1,3}$/.test(prefix) && Number(prefix) <= (family === 4 ? 32 : 128));
}

/** Rotation intervals repeat within their unit: 6h or 15m, not 7h. */
function dividesItsUnit(interval: string): boolean {
  const match = /^(\d+)([smh])$/.exec(interval);
  if (!match) return true;
  const n = Number(match[1]);
  return n > 0 && (match[2] === 'h' ? 24 : 60) % n === 0;
}

// Values never echoed in an error message: they may hold passwords or keys.
const secretNames = /SECRET|PASSWORD|_URL$/;

const schema = z.object({
  NODE_ENV: z.enum(['development', 'production', 'test']).default('development'),
  PORT: portNumber.default(3000),
  HOST: z.string().min(1).default('127.0.0.1'),
  DATABASE_URL: z.string().regex(/^(sqlite:|mysql:\/\/|mariadb:\/\/)/, 'must start with sqlite: or mysql://')
    .default('sqlite:./data/quire.db'),
  DATABASE_POOL_SIZE: z.coerce.number().int().min(1).max(200).default(10),
  REDIS_URL: z.string().regex(/^rediss?:\/\//, 'must start with redis:// or rediss://').optional(),
  // Prefixes every Redis key Quire writes, so several sites (or test runs) can share one Redis.
  REDIS_PREFIX: z.string().regex(/^[\w:.-]{0,64}$/, 'must be letters, digits, ":", ".", "-" or "_"').default('quire:'),
  QUIRE_SECRET: z.string().min(32, 'must be at least 32 characters').optional(),
  DATA_DIR: z.string().min(1).default('./data'),
  LOG_DIR: z.string().min(1).default('./logs'),
  LOG_LEVEL: z.enum(['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent']).default('info'),
  // Proxy addresses whose X-Forwarded-* headers are believed.
  TRUST_PROXY: z.string().default('').transform((list) => list.split(',').map((s) => s.trim()).filter(Boolean))
    .refine((list) => list.every(isAddressOrRange), 'must be a comma-separated list of IP addresses or CIDR ranges (e.g. 127.0.0.1,10.0.0.0/8)'),
  BODY_LIMIT: z.string().regex(/^\d+(b|kb|mb)?$/i, 'must look like 1mb, 512kb or a byte count').default('1mb'),
  CORS_ORIGIN: z.string().default('*'),
  TOKEN_TTL: z.string().regex(/^\d+[smhdw]$/, 'must look like 30d, 12h or 900s').default('30d'),
  SHUTDOWN_TIMEOUT_MS: z.coerce.number().int().min(100).default(10_000),
  SERVER_TIMING: flag.optional(),
  // Render-once cache of anonymous GETs (src/cache/response-cache.ts); CACHE=off measures without it. Same value on every worker.
  CACHE: flag.default(true),
  // gzip responses over 1 KB in the app; turn off when nginx (which gzips itself) is in front.
  COMPRESS: flag.default(true),
  CACHE_MAX_MB: z.coerce.number().int().min(1).max(4096).default(32),
  // Sent as X-Served-By on every response when set, so an operator can see which instance answered.
  INSTANCE_NAME: z.string().regex(/^[\w.:-]{1,64}$/, 'must be letters, digits, ".", ":", "-" or "_"').optional(),
  // Sign-in attempts allowed per client address and email in each window (shared through Redis when set).
  LOGIN_MAX_ATTEMPTS: z.coerce.number().int().min(1).default(10),
  LOGIN_WINDOW_SECONDS: z.coerce.number().int().min(1).default(900),
  // Logs (docs/operations.md): where the access log goes, when files rotate, how long they stay.
  ACCESS_LOG: z.enum(['file', 'stdout', 'off']).default('file'),
  LOG_ROTATE_SIZE: z.string().regex(/^\d+(b|kb|mb)?$/i, 'must look like 10mb, 512kb or 0 (no size limit)').default('10mb'),
  LOG_ROTATE_INTERVAL: z.string().regex(/^(\d+[smhd]|off)$/, 'must look like 1d, 6h, 30m or off')
    .refine(dividesItsUnit, 'hours must divide 24, and minutes or seconds 60 (1h, 6h, 15m …)').default('1d'),
  LOG_RETAIN_DAYS: z.coerce.number().int().min(1).default(14),
  // Markdown rendering (src/articles/markdown.ts): off the main thread, each render cut off after this long (422).
  RENDER_TIMEOUT_MS: z.coerce.number().int().min(50).max(60_000).default(2000),
  // The response cache's entry cap, beside CACHE_MAX_MB's byte cap.
  CACHE_MAX_ENTRIES: z.coerce.number().int().min(1).max(1_000_000).default(10_000),
  // Dependency timeouts: a stalled Redis or database answers 503 within these, never hangs a request.
  // A MySQL call's budget covers waiting for a pooled connection and the query; 2 s leaves room for a
  // request that meets two of them (a write's cache bumps) within 5 s (docs/decisions/19-timeouts.md).
  REDIS_TIMEOUT_MS: z.coerce.number().int().min(10).max(60_000).default(1000),
  DATABASE_TIMEOUT_MS: z.coerce.number().int().min(50).max(600_000).default(2000),
  // Database calls that may wait for a pooled MySQL connection at once; beyond it, 503 at once. A list
  // page makes several calls at once, so the limit counts calls, not requests (docs/decisions/19-timeouts.md).
  DATABASE_QUEUE_LIMIT: z.coerce.number().int().min(0).max(100_000).default(1000),
  // Write rate limits (src/limits/rate-limit.ts): per account and per client address, shared by every worker.
  // Every POST/PUT/DELETE but sign-in counts; a window's budget spent, 429 with Retry-After until it ends.
  WRITE_LIMIT_PER_ACCOUNT: z.coerce.number().int().min(1).default(60),
  WRITE_LIMIT_PER_ADDRESS: z.coerce.number().int().min(1).default(1200),
  WRITE_LIMIT_WINDOW_SECONDS: z.coerce.number().int().min(1).default(60),
  // Sign-in attempts per client address whatever the email, per LOGIN_WINDOW_SECONDS (beside LOGIN_MAX_ATTEMPTS).
  LOGIN_ADDRESS_MAX_ATTEMPTS: z.coerce.number().int().min(1).default(100),
  // Password checks (scrypt) one worker runs at once for sign-ins; beyond it, 503 at once.
  SIGNIN_HASHES_IN_FLIGHT: z.coerce.number().int().min(1).max(1000).default(8),
  // Set by pm2 in cluster mode: each worker writes its own log files, named with this id.
  NODE_APP_INSTANCE: z.string().regex(/^\w+$/, 'must be a word').optional(),
  // Email (src/mail/, docs/operations.md#email): unset = no email. smtp://user:pass@host:587 (STARTTLS when
  // offered) or smtps://…:465. Mail is queued in the database and sent by each server process in the background.
  SMTP_URL: z.string().regex(/^smtps?:\/\/[^/\s]+/, 'must look like smtp://user:pass@host:587 or smtps://host:465').optional(),
  // The From of every mail: an address, or "Name <address>". Required with SMTP_URL.
  MAIL_FROM: z.string().max(320).regex(/^([^<>\r\n]*<[^\s@<>]+@[^\s@<>]+>|[^\s@<>]+@[^\s@<>]+)$/, 'must be an address or "Name <address>", on one line').optional(),
  // Queued mail not sent within this many hours (SMTP down, or not set up yet) is given up, not sent stale.
  MAIL_MAX_AGE_HOURS: z.coerce.number().int().min(1).max(24 * 365).default(72),
}).refine((env) => !env.SMTP_URL || env.MAIL_FROM, { path: ['MAIL_FROM'], message: 'must be set when SMTP_URL is set (e.g. "My Blog <blog@example.com>")' });

export type RawConfig = z.infer<typeof schema>;

export interface Config extends Omit<RawConfig, 'SERVER_TIMING'> {
  SERVER_TIMING: boolean;
  /** BODY_LIMIT in bytes. */
  bodyLimitBytes: number;
  /** LOG_ROTATE_SIZE in bytes; 0 means rotate by time only. */
  logRotateBytes: number;
  isProduction: boolean;
}

export class ConfigError extends Error {
  override name = 'ConfigError';
}

export function parseByteSize(text: string): number {
  const match = /^(\d+)(b|kb|mb)?$/i.exec(text);
  if (!match) throw new ConfigError(`not a size: ${text}`);
  const unit = (match[2] ?? 'b').toLowerCase();
  return Number(match[1]) * (unit === 'mb' ? 1024 * 1024 : unit === 'kb' ? 1024 : 1);
}

/** Parse the environment (or any record) into a frozen Config; throws ConfigError. */
export function loadConfig(env: Record<string, string | undefined> = process.env): Readonly<Config> {
  const cleaned = Object.fromEntries(Object.entries(env).filter(([, v]) => v !== undefined && v !== ''));
  const result = schema.safeParse(cleaned);
  if (!result.success) {
    const issue = result.error.issues[0]!;
    const name = String(issue.path[0] ?? 'environment');
    const shown = secretNames.test(name) ? '' : `=${JSON.stringify(env[name] ?? '')}`;
    throw new ConfigError(`invalid ${name}${shown}: ${issue.message}`);
  }
  const raw = result.data;
  return Object.freeze({
    ...raw,
    SERVER_TIMING: raw.SERVER_TIMING ?? raw.NODE_ENV === 'development',
    bodyLimitBytes: parseByteSize(raw.BODY_LIMIT),
    logRotateBytes: parseByteSize(raw.LOG_ROTATE_SIZE),
    isProduction: raw.NODE_ENV === 'production',
  });
}
