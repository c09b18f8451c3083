// What a CLI command needs to reach the data: config from the environment and an open, migrated
// database; who the command acts as; and how its usage mistakes and refusals are told apart.
import { parseArgs, type ParseArgsConfig } from 'node:util';
import { closeServices, openServices } from '../boot.js';
import { loadConfig } from '../config.js';
import { generationStore } from '../cache/generation.js';
import { AppError } from '../core/errors.js';
import type { User } from '../core/state.js';
import type { Db } from '../db/database.js';
import { createLogger } from '../runtime/logger.js';
import type { AppDeps } from '../runtime/deps.js';
import { searchUsers } from '../users/user.repo.js';
import { toUser } from '../users/user.service.js';

export async function withServices<T>(work: (deps: AppDeps) => Promise<T>): Promise<T> {
  // Quieter than the server unless LOG_LEVEL says otherwise: a command's output is its answer.
  const config = loadConfig({ LOG_LEVEL: 'warn', ...process.env });
  const deps = await openServices(config, createLogger(config.LOG_LEVEL, process.stderr));
  try {
    return await work(deps);
  } finally {
    await closeServices(deps);
  }
}

/**
 * Whoever runs `quire` on the server is the site's operator: the services' capability checks see an
 * active admin. It is nobody's account (id 0): where a real account must be named (an invite's
 * creator), use firstAdmin() instead. The services' own rules (the last admin, known roles) still apply.
 */
export const SYSTEM_ADMIN: Readonly<User> = Object.freeze({
  id: 0, publicId: 'cli', username: 'cli', email: '', bio: null, image: null, role: 'admin', status: 'active',
});

/** The oldest active admin's account, for what must be stored as someone's: refused when there is none. */
export async function firstAdmin(db: Db): Promise<User> {
  const [row] = await searchUsers(db, { role: 'admin', status: 'active' }, 1, 0);
  if (!row) throw new Error('the site has no active admin to act for: make one with `quire user role NAME admin`');
  return toUser(row);
}

/** A command written wrongly: quire.ts prints it with the usage line and exits 2. */
export class UsageError extends Error {
  override name = 'UsageError';
  constructor(readonly usage: string, message?: string) {
    super(message ?? usage);
  }
}

export const wantsHelp = (argv: readonly string[]) => argv.includes('--help') || argv.includes('-h');

/**
 * A verb's arguments read by node:util's parseArgs, or undefined once --help or -h has printed its
 * usage (and nothing else is done); an option it does not take is a UsageError.
 */
export function verbArgs<O extends NonNullable<ParseArgsConfig['options']>>(argv: string[], usage: string, options: O) {
  if (wantsHelp(argv)) {
    process.stdout.write(`${usage}\n`);
    return undefined;
  }
  try {
    return parseArgs({ args: argv, allowPositionals: true, options });
  } catch (err) {
    throw new UsageError(usage, (err as Error).message);
  }
}

/** A service's refusal as a line: `role must be one of …`, the API's 422 message with its field. */
export function describeError(err: unknown): string {
  if (err instanceof AppError) {
    return Object.entries(err.errors).map(([field, messages]) => `${field} ${messages.join(', ')}`).join('; ');
  }
  return err instanceof Error ? err.message : String(err);
}

/** After a change made outside a request: whatever a running server cached is out of date. */
export async function changedSite(deps: AppDeps): Promise<void> {
  await generationStore(deps).bump();
}

/** Rows of cells as aligned columns, two spaces apart, for a terminal. */
export function columns(rows: readonly (readonly string[])[]): string {
  const widths: number[] = [];
  for (const row of rows) row.forEach((cell, i) => { widths[i] = Math.max(widths[i] ?? 0, cell.length); });
  return rows.map((row) => row.map((cell, i) => (i === row.length - 1 ? cell : cell.padEnd(widths[i]!))).join('  ')).join('\n') + (rows.length ? '\n' : '');
}
