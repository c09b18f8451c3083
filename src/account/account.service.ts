// An account's own lifecycle: its data exported (profile, articles, comments, favourites, follows),
// and the account deleted, by its owner or by an admin (src/admin/). Deleting takes the articles and
// comments with it, or gives them to another account first; never the site's last active admin.
import type { Db } from '../db/database.js';
import { inTransaction } from '../db/database.js';
import { invalid, notFound, unauthorized } from '../core/errors.js';
import type { User } from '../core/state.js';
import { verifyPassword } from '../users/password.js';
import * as users from '../users/user.repo.js';
import type { UserRow } from '../users/user.table.js';
import { articlesForExport, favoritedSlugs } from '../articles/article.repo.js';
import { removeArticlesOf } from '../articles/article.service.js';
import { commentsForExport } from '../comments/comment.repo.js';
import { reassignCommentsOf } from '../comments/comment.service.js';
import { logAction } from '../comments/moderation.service.js';
import { followedNames } from '../profiles/profile.repo.js';

const LAST_ADMIN = 'is the last admin: make someone else an admin first';

/**
 * Runs change on the account in a transaction that first counts the active admins (locking them on
 * MySQL), and refuses with 422 when the change would leave none.
 */
export async function keepingAnAdmin(db: Db, username: string, leavesAdmin: (row: UserRow) => boolean, change: (trx: Db, row: UserRow) => Promise<void>): Promise<void> {
  await inTransaction(db, async (trx) => {
    const admins = await users.activeAdminIds(trx, true);
    const row = await users.findUserByUsername(trx, username);
    if (!row) throw notFound('user');
    const isActiveAdmin = row.role === 'admin' && row.status === 'active';
    if (isActiveAdmin && !leavesAdmin(row) && admins.filter((id) => id !== Number(row.id)).length === 0) throw invalid('user', LAST_ADMIN);
    await change(trx, row);
  });
}

/** Removes an account and its content (or gives the content to heir first); by is logged as who did it. */
export async function removeAccount(db: Db, by: Pick<User, 'id' | 'username'>, target: UserRow, heir?: UserRow): Promise<void> {
  // Refused before anything is removed when it is the last admin; checked again when the row goes.
  if (target.role === 'admin' && target.status === 'active' && (await users.activeAdminIds(db, false)).length <= 1) throw invalid('user', LAST_ADMIN);
  const id = Number(target.id);
  if (heir) {
    await removeArticlesOf(db, id, { reassignTo: Number(heir.id) });
    await reassignCommentsOf(db, id, Number(heir.id));
  } else {
    await removeArticlesOf(db, id);
  }
  await keepingAnAdmin(db, target.username, () => false, async (trx) => {
    await users.deleteUser(trx, id);
    await logAction(trx, by.id === id ? { id: 0, username: target.username } : by, heir ? 'user:deleted:reassigned' : 'user:deleted',
      { type: 'user', id }, heir ? `${target.username}, content to ${heir.username}` : target.username);
  });
}

/** The owner's own account deleted from the settings page: their password confirms it. */
export async function deleteOwnAccount(db: Db, user: User, password: string): Promise<void> {
  const row = await users.findUserById(db, user.id);
  if (!row || !(await verifyPassword(password, row.password_hash))) throw unauthorized('current_password', 'is wrong');
  await removeAccount(db, user, row);
}

/** Everything the account holds, as JSON a person can read and another site can import. */
export async function exportAccount(db: Db, user: User) {
  const row = await users.findUserById(db, user.id);
  const iso = (ms: number) => new Date(Number(ms)).toISOString();
  const [articles, comments, favorites, following] = await Promise.all([
    articlesForExport(db, user.id), commentsForExport(db, user.id), favoritedSlugs(db, user.id), followedNames(db, user.id),
  ]);
  return {
    exportedAt: new Date().toISOString(),
    profile: { username: user.username, email: user.email, bio: user.bio, image: user.image, role: user.role, createdAt: row ? iso(row.created_at) : null },
    articles: articles.map((a) => ({
      slug: a.slug, title: a.title, description: a.description, body: a.body, tagList: a.tag_list, createdAt: iso(a.created_at), updatedAt: iso(a.updated_at),
    })),
    comments: comments.map((c) => ({ id: Number(c.id), article: c.article, body: c.body, state: c.state, createdAt: iso(c.created_at), updatedAt: iso(c.updated_at) })),
    favorites,
    following,
  };
}
