// The seeded site the bench measures: seeded once per size under bench/.data (reused while the
// sizes match), copied fresh for every deployment, and read for the addresses the scenarios request.
import fs from 'node:fs';
import path from 'node:path';
import SQLite from 'better-sqlite3';
import { createMysqlDatabase } from '../../support/services.js';
import { runCommand } from './processes.js';

export interface SeedSize {
  users: number;
  articles: number;
  comments: number;
  seed: number;
}

export interface SiteFacts {
  slugs: string[];
  tags: string[];
  /** Signs in to read a feed: follows the most authors. */
  reader: string;
  /** Sign in to write. */
  writers: string[];
}

/** Runs this build's `quire` CLI on the database at databaseUrl. */
function quire(root: string, databaseUrl: string, env: NodeJS.ProcessEnv, args: string[], quiet = false) {
  return runCommand(process.execPath, [path.join(root, 'dist/cli/quire.js'), ...args], { env: { ...env, DATABASE_URL: databaseUrl }, quiet });
}

/** `quire seed` with the bench's sizes, the same on every database. */
const seedArgs = (size: SeedSize) => ['seed', '--users', String(size.users), '--articles', String(size.articles), '--comments', String(size.comments), '--seed', String(size.seed)];

/** Writes the WAL back into the database file, so a plain file copy is the whole site. */
function foldWal(file: string): void {
  const db = new SQLite(file);
  db.pragma('wal_checkpoint(TRUNCATE)');
  db.close();
}

/**
 * Returns the path of a fresh copy of a database seeded with size, and restore(), which copies the
 * seeded database over it again (with no server running on it): each deployment then reads the same
 * site, not one the previous deployment's write mix grew by thousands of articles and comments.
 */
export async function seededCopy(root: string, dataDir: string, size: SeedSize, env: NodeJS.ProcessEnv): Promise<{ file: string; restore: () => void; reused: boolean; seedSeconds?: number }> {
  fs.mkdirSync(dataDir, { recursive: true });
  const name = `seed-u${size.users}-a${size.articles}-c${size.comments}-s${size.seed}`;
  const pristine = path.join(dataDir, `${name}.db`);
  const marker = path.join(dataDir, `${name}.json`);
  let reused = true;
  let seedSeconds: number | undefined;
  if (!fs.existsSync(marker) || !fs.existsSync(pristine)) {
    reused = false;
    for (const suffix of ['', '-wal', '-shm']) fs.rmSync(`${pristine}${suffix}`, { force: true });
    const t0 = Date.now();
    await quire(root, `sqlite:${pristine}`, env, seedArgs(size));
    seedSeconds = (Date.now() - t0) / 1000;
    foldWal(pristine);
    fs.writeFileSync(marker, JSON.stringify({ ...size, seededAt: new Date().toISOString(), seconds: seedSeconds }, null, 2));
  } else {
    // A site seeded by an older build gets this build's migrations here, once, not in every boot the bench times.
    await quire(root, `sqlite:${pristine}`, env, ['migrate'], true);
    foldWal(pristine);
  }
  const file = path.join(dataDir, 'run.db');
  const restore = () => {
    for (const suffix of ['', '-wal', '-shm']) fs.rmSync(`${file}${suffix}`, { force: true });
    fs.copyFileSync(pristine, file);
  };
  restore();
  return { file, restore, reused, seedSeconds };
}

export function siteFacts(file: string): SiteFacts {
  const db = new SQLite(file, { readonly: true });
  try {
    const slugs = db.prepare('select slug from articles order by created_at desc, id desc limit 200').pluck().all() as string[];
    const tags = db.prepare('select tag from article_tags group by tag order by count(*) desc limit 10').pluck().all() as string[];
    const reader = db.prepare('select u.email from users u join follows f on f.follower_id = u.id group by u.id order by count(*) desc limit 1').pluck().get() as string;
    const writers = db.prepare('select email from users order by id limit 5').pluck().all() as string[];
    return { slugs, tags, reader, writers };
  } finally {
    db.close();
  }
}

export async function signIn(origin: string, email: string, password = 'password'): Promise<string> {
  const res = await fetch(`${origin}/api/users/login`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ user: { email, password } }),
  });
  if (!res.ok) throw new Error(`sign-in of ${email} at ${origin}: ${res.status} ${await res.text()}`);
  return ((await res.json()) as { user: { token: string } }).user.token;
}

/**
 * A MariaDB/MySQL database of its own (the tests' createMysqlDatabase), seeded like the SQLite site
 * (the same --seed, so the same slugs, tags and users), for the rows that measure the production
 * database; dropped by drop(). The reason instead, when the server at adminUrl does not answer.
 */
export async function seededMysql(root: string, adminUrl: string, size: SeedSize, env: NodeJS.ProcessEnv): Promise<{ url: string; drop: () => Promise<void> } | { missing: string }> {
  let database;
  try {
    database = await createMysqlDatabase('quire_bench', adminUrl);
  } catch (err) {
    return { missing: `${new URL(adminUrl).host} does not answer (${(err as Error).message})` };
  }
  await quire(root, database.url, env, seedArgs(size), true);
  return database;
}
