// Roles and what each may do: the one capability table. Services check a capability, never a role,
// so the API, the pages and the CLI can never disagree about who may do what.
import { forbidden } from '../core/errors.js';
import type { AccountStatus, Role, User } from '../core/state.js';

/** Lowest first: each role may do everything the one before it may, and more. */
export const ROLES = ['reader', 'contributor', 'author', 'editor', 'admin'] as const satisfies readonly Role[];
export const STATUSES = ['active', 'suspended', 'banned'] as const satisfies readonly AccountStatus[];

export type Capability =
  | 'comment' | 'favorite' | 'follow'
  | 'write_drafts'
  | 'publish_own' | 'edit_own'
  | 'publish_any' | 'edit_any' | 'delete_any_article'
  | 'moderate_own_comments' | 'moderate_comments'
  | 'invite' | 'manage_users' | 'manage_settings' | 'view_stats';

const READER: readonly Capability[] = ['comment', 'favorite', 'follow'];
const CONTRIBUTOR: readonly Capability[] = [...READER, 'write_drafts'];
const AUTHOR: readonly Capability[] = [...CONTRIBUTOR, 'publish_own', 'edit_own', 'moderate_own_comments'];
const EDITOR: readonly Capability[] = [...AUTHOR, 'publish_any', 'edit_any', 'delete_any_article', 'moderate_comments', 'view_stats'];
const ADMIN: readonly Capability[] = [...EDITOR, 'invite', 'manage_users', 'manage_settings'];

const CAPABILITIES: Readonly<Record<Role, ReadonlySet<Capability>>> = {
  reader: new Set(READER),
  contributor: new Set(CONTRIBUTOR),
  author: new Set(AUTHOR),
  editor: new Set(EDITOR),
  admin: new Set(ADMIN),
};

export const isRole = (value: unknown): value is Role => typeof value === 'string' && (ROLES as readonly string[]).includes(value);
export const isStatus = (value: unknown): value is AccountStatus => typeof value === 'string' && (STATUSES as readonly string[]).includes(value);

/** Whether the account may do it now: a suspended account may only read. */
export function can(user: Pick<User, 'role' | 'status'> | undefined, capability: Capability): boolean {
  if (!user || user.status !== 'active') return false;
  return CAPABILITIES[user.role]?.has(capability) ?? false;
}

/** The contract's 403 unless the account may do it; `what` names the thing refused. */
export function requireCapability(user: Pick<User, 'role' | 'status'>, capability: Capability, what: string, message?: string): void {
  if (!can(user, capability)) throw forbidden(what, message);
}

/** The capabilities of a role, lowest role first in the table above (for docs and the admin area). */
export function capabilitiesOf(role: Role): Capability[] {
  return [...CAPABILITIES[role]];
}
