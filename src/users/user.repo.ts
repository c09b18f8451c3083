// All SQL about users.
import { isMysql, type Db } from '../db/database.js';
import { prepared } from '../db/prepared.js';
import type { UserRow, UserTable } from './user.table.js';
import type { AccountStatus, Role } from '../core/state.js';
import { sql, type Insertable, type Updateable } from 'kysely';

// Run on every signed-in request (session or token): built once.
const byIdQuery = prepared((db, a: { id: number }) => db.selectFrom('users').selectAll().where('id', '=', a.id));
const byPublicIdQuery = prepared((db, a: { publicId: string }) => db.selectFrom('users').selectAll().where('public_id', '=', a.publicId));

export async function findUserById(db: Db, id: number): Promise<UserRow | undefined> {
  return (await byIdQuery(db, { id })).rows[0];
}

export async function findUserByPublicId(db: Db, publicId: string): Promise<UserRow | undefined> {
  return (await byPublicIdQuery(db, { publicId })).rows[0];
}

export function findUserByEmail(db: Db, email: string): Promise<UserRow | undefined> {
  return db.selectFrom('users').selectAll().where('email', '=', email).executeTakeFirst();
}

/** By the name exactly as stored: how profiles and filters address a user. */
export function findUserByUsername(db: Db, username: string): Promise<UserRow | undefined> {
  return db.selectFrom('users').selectAll().where('username', '=', username).executeTakeFirst();
}

/**
 * The account that already holds this name as uniqueness sees it: the same key, or (for a row
 * written without a key, by the seeder) the same spelling.
 */
export function findUserHoldingName(db: Db, username: string, key: string, exceptId = 0): Promise<UserRow | undefined> {
  return db.selectFrom('users').selectAll().where('id', '!=', exceptId)
    .where((eb) => eb.or([eb('username_key', '=', key), eb('username', '=', username)])).executeTakeFirst();
}

export async function insertUser(db: Db, user: Insertable<UserTable>): Promise<number> {
  const result = await db.insertInto('users').values(user).executeTakeFirstOrThrow();
  return Number(result.insertId);
}

export async function updateUser(db: Db, id: number, changes: Updateable<UserTable>): Promise<void> {
  await db.updateTable('users').set(changes).where('id', '=', id).execute();
}

export async function firstUserId(db: Db): Promise<number | undefined> {
  const row = await db.selectFrom('users').select((eb) => eb.fn.min<number>('id').as('id')).executeTakeFirst();
  return row?.id === null || row?.id === undefined ? undefined : Number(row.id);
}

export function listUsers(db: Db): Promise<Pick<UserRow, 'username' | 'email' | 'role' | 'status'>[]> {
  return db.selectFrom('users').select(['username', 'email', 'role', 'status']).orderBy('id').execute();
}

export interface UserSearch {
  /** Part of a username or email. */
  q?: string;
  role?: Role;
  status?: AccountStatus;
}

function searched(db: Db, search: UserSearch) {
  let query = db.selectFrom('users');
  if (search.q) {
    // lower() on both sides: case-insensitive on SQLite and on MySQL's binary collation alike; '!' escapes.
    const pattern = `%${search.q.toLowerCase().replace(/[!%_]/g, (c) => `!${c}`)}%`;
    query = query.where((eb) => eb.or([
      sql<boolean>`lower(users.username) like ${pattern} escape '!'`,
      sql<boolean>`lower(users.email) like ${pattern} escape '!'`,
    ]));
  }
  if (search.role) query = query.where('role', '=', search.role);
  if (search.status) query = query.where('status', '=', search.status);
  return query;
}

/** A page of accounts for the admin area, oldest first. */
export function searchUsers(db: Db, search: UserSearch, limit: number, offset: number): Promise<UserRow[]> {
  return searched(db, search).selectAll().orderBy('id').limit(limit).offset(offset).execute();
}

export async function countUsers(db: Db, search: UserSearch): Promise<number> {
  const row = await searched(db, search).select((eb) => eb.fn.countAll<number>().as('n')).executeTakeFirstOrThrow();
  return Number(row.n);
}

/**
 * The ids of the active admins. Inside a transaction on MySQL the rows stay locked until it ends, so
 * two admins demoting each other at once are served one after the other and one admin is left.
 */
export async function activeAdminIds(db: Db, lock: boolean): Promise<number[]> {
  let query = db.selectFrom('users').select('id').where('role', '=', 'admin').where('status', '=', 'active');
  if (lock && isMysql(db)) query = query.forUpdate();
  return (await query.execute()).map((r) => Number(r.id));
}

export async function deleteUser(db: Db, id: number): Promise<void> {
  await db.deleteFrom('users').where('id', '=', id).execute();
}
