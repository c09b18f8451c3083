// Accounts for the people tests: a role or a status set straight in the database (as the admin
// area will, without depending on it), a page session signed in as an account the API made, and
// what a page's refusal looks like.
import assert from 'node:assert/strict';
import type { Db } from '../../src/db/database.js';
import type { AccountStatus, Role } from '../../src/core/state.js';
import { pageClient, type PageResponse } from '../pages/page-client.js';

export type PageClient = ReturnType<typeof pageClient>;

/** Gives the account a role and/or a status, as an admin's change would be stored. */
export async function setAccount(db: Db, username: string, change: { role?: Role; status?: AccountStatus }): Promise<void> {
  const result = await db.updateTable('users').set({ ...change, updated_at: Date.now() }).where('username', '=', username).executeTakeFirst();
  assert.equal(Number(result.numUpdatedRows), 1, `${username} is an account`);
}

export async function userIdOf(db: Db, username: string): Promise<number> {
  const row = await db.selectFrom('users').select('id').where('username', '=', username).executeTakeFirstOrThrow();
  return Number(row.id);
}

/** A cookie session signed in through the login page, holding the session's CSRF token. */
export async function signedInPage(baseUrl: string, email: string): Promise<PageClient> {
  const page = pageClient(baseUrl);
  const login = await page.login(email);
  assert.equal(login.status, 302, `${email} signs in: ${login.text.slice(0, 300)}`);
  // The token changes at sign-in: read it from a signed-in page (the layout's sign-out form holds it).
  await page.get('/');
  return page;
}

/** A 403 page for want of a capability, not for a stale form (the CSRF refusal is a 403 too, titled otherwise). */
/** A new article refused by the editor page: 403, the form shown again with the writer's text, and why. */
export function assertEditorRefused(res: PageResponse, what: string, kept: string, message: string): void {
  assert.equal(res.status, 403, `${what}: expected 403, got ${res.status} ${res.location ?? ''} ${res.text.slice(0, 300)}`);
  assert.match(res.text, /<form class="editor-form"/, `${what}: the editor is shown again`);
  assert.ok(res.text.includes(kept), `${what}: the text written stays in the form`);
  assert.ok(res.text.includes(message), `${what}: the page says "${message}"`);
}

export function assertPageRefused(res: PageResponse, what: string, message?: string): void {
  assert.equal(res.status, 403, `${what}: expected 403, got ${res.status} ${res.location ?? ''} ${res.text.slice(0, 300)}`);
  assert.match(res.text, /<h1 id="error-heading">Not allowed<\/h1>/, `${what}: the page says it is not allowed`);
  if (message !== undefined) assert.ok(res.text.includes(`<li>${message}</li>`), `${what}: the page says "${message}"`);
}
