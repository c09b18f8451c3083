// Fills a database with a realistic site: users (one shared password hash), follows, articles with
// markdown rendered by the real renderer, 3–5 tags each, favourites and comments. Batched inserts,
// one transaction per batch, explicit ids (the seed expects an empty site; see resetSite).
import type { Role } from '../core/state.js';
import type { Db } from '../db/database.js';
// In-process, not through the render thread: the seeder's bodies are our own text (content.ts),
// and thousands of thread round-trips would slow a seed for no safety gained.
import { renderSafeHtml } from '../articles/markdown-render.js';
import { slugify } from '../articles/slug.js';
import { recountArticles, recountTags, refreshTagLists } from '../articles/article.repo.js';
import { hashPassword } from '../users/password.js';
import { article, bio, commentBody, tagPool, username } from './content.js';
import { usernameKey } from '../users/username.js';
import { seededRandom, type Random } from './random.js';
import { deleteSite, hasUsers, insertRows } from './seed.repo.js';

export interface SeedOptions {
  users: number;
  articles: number;
  comments: number;
  seed: number;
  /** Every seeded user signs in with this. */
  password: string;
  onProgress?: (phase: SeedPhase, done: number, total: number) => void;
}

export type SeedPhase = 'users' | 'articles' | 'comments';

export interface SeedCounts {
  users: number;
  follows: number;
  articles: number;
  tags: number;
  favorites: number;
  comments: number;
}

// The newest seeded article is from this moment, so the same seed makes the same site on any day.
const NEWEST = Date.UTC(2026, 0, 1);
const SPAN = 3 * 365 * 24 * 3600 * 1000;
// Rows per INSERT: under SQLite's 32766 bound parameters and MySQL's packet size.
const ROWS_PER_BATCH = 250;

const seededEmail = (name: string) => `${name}@example.com`;

/** Deletes every user and everything they wrote. */
export function resetSite(db: Db): Promise<void> {
  return deleteSite(db);
}

function uuidFrom(rnd: Random): string {
  const hex = Array.from({ length: 32 }, () => rnd.int(0, 15).toString(16)).join('');
  return `${hex.slice(0, 8)}-${hex.slice(8, 12)}-4${hex.slice(13, 16)}-a${hex.slice(17, 20)}-${hex.slice(20)}`;
}

async function inBatches<T>(db: Db, rows: T[], insert: (trx: Db, batch: T[]) => Promise<unknown>, progress?: (n: number) => void): Promise<void> {
  for (let i = 0; i < rows.length; i += ROWS_PER_BATCH) {
    const batch = rows.slice(i, i + ROWS_PER_BATCH);
    await db.transaction().execute((trx) => insert(trx, batch));
    progress?.(Math.min(i + ROWS_PER_BATCH, rows.length));
  }
}

export async function seedSite(db: Db, opts: SeedOptions): Promise<SeedCounts> {
  if (await hasUsers(db)) throw new Error('the database already has users: seed an empty site, or pass --reset');
  const rnd = seededRandom(opts.seed);
  const progress = opts.onProgress ?? (() => undefined);
  const passwordHash = await hashPassword(opts.password);

  const userCount = Math.max(1, opts.users);
  const users = Array.from({ length: userCount }, (_, i) => {
    const name = username(rnd, i + 1);
    const at = NEWEST - SPAN - (userCount - i) * 60_000;
    return {
      id: i + 1, public_id: uuidFrom(rnd), username: name, username_key: usernameKey(name), email: seededEmail(name), password_hash: passwordHash,
      bio: bio(rnd), image: null, role: (i === 0 ? 'admin' : 'author') as Role, created_at: at, updated_at: at,
    };
  });
  const follows = users.flatMap((u) => rnd.sample(users, rnd.int(0, Math.min(15, userCount - 1)), true)
    .filter((f) => f.id !== u.id)
    .map((f) => ({ follower_id: u.id, followed_id: f.id, created_at: u.created_at })));
  progress('users', 0, userCount);
  await inBatches(db, users, (trx, batch) => insertRows(trx, 'users', batch, ROWS_PER_BATCH), (n) => progress('users', n, userCount));
  await inBatches(db, follows, (trx, batch) => insertRows(trx, 'follows', batch, ROWS_PER_BATCH));

  const counts: SeedCounts = { users: userCount, follows: follows.length, articles: opts.articles, tags: 0, favorites: 0, comments: opts.comments };
  const createdAt: number[] = [];
  progress('articles', 0, opts.articles);
  for (let start = 0; start < opts.articles; start += ROWS_PER_BATCH) {
    const ids = Array.from({ length: Math.min(ROWS_PER_BATCH, opts.articles - start) }, (_, i) => start + i + 1);
    const articles = ids.map((id) => {
      const { title, description, body } = article(rnd);
      const at = NEWEST - Math.floor(((opts.articles - id) / opts.articles) * SPAN) - rnd.int(0, 3_600_000);
      createdAt[id] = at;
      return {
        id, slug: `${slugify(title)}-${id.toString(36)}`, title, description, body, body_html: renderSafeHtml(body),
        author_id: rnd.pickSkewed(users).id, created_at: at, updated_at: at,
      };
    });
    const tags = ids.flatMap((id) => rnd.sample(tagPool, rnd.int(3, 5), true).map((tag) => ({ article_id: id, tag, created_at: createdAt[id]! })));
    const favorites = ids.flatMap((id) => rnd.sample(users, Math.floor(rnd.next() ** 3 * Math.min(30, userCount)))
      .map((u) => ({ user_id: u.id, article_id: id, created_at: createdAt[id]! + 60_000 })));
    await db.transaction().execute(async (trx) => {
      await insertRows(trx, 'articles', articles, ROWS_PER_BATCH);
      await insertRows(trx, 'article_tags', tags, 1000);
      await insertRows(trx, 'favorites', favorites, 1000);
    });
    counts.tags += tags.length;
    counts.favorites += favorites.length;
    progress('articles', start + ids.length, opts.articles);
  }
  await recountTags(db);
  await refreshTagLists(db);
  await recountArticles(db);

  progress('comments', 0, opts.comments);
  if (opts.articles > 0) {
    for (let start = 0; start < opts.comments; start += 1000) {
      const comments = Array.from({ length: Math.min(1000, opts.comments - start) }, (_, i) => {
        const articleId = rnd.int(1, opts.articles);
        const at = createdAt[articleId]! + rnd.int(60_000, 30 * 24 * 3600 * 1000);
        return { id: start + i + 1, article_id: articleId, author_id: rnd.pick(users).id, body: commentBody(rnd), created_at: at, updated_at: at };
      });
      await db.transaction().execute(async (trx) => {
        await insertRows(trx, 'comments', comments, ROWS_PER_BATCH);
      });
      progress('comments', start + comments.length, opts.comments);
    }
  } else {
    counts.comments = 0;
  }
  return counts;
}
