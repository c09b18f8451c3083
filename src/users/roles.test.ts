// The capability table's shape, as issue 21 names it: each role a superset of the one before, the
// line each role stops at, and that an account which is not active may do nothing at all.
import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import type { Role } from '../core/state.js';
import { can, capabilitiesOf, isRole, isStatus, requireCapability, ROLES, STATUSES, type Capability } from './roles.js';
import { AppError } from '../core/errors.js';

const EVERY_CAPABILITY: readonly Capability[] = [
  'comment', 'favorite', 'follow', 'write_drafts', 'publish_own', 'edit_own', 'publish_any', 'edit_any',
  'delete_any_article', 'moderate_own_comments', 'moderate_comments', 'invite', 'manage_users', 'manage_settings', 'view_stats',
];

const active = (role: Role) => ({ role, status: 'active' as const });

/** Asserts the role may do every one of yes and none of no, naming the first that differs. */
function assertCan(role: Role, yes: readonly Capability[], no: readonly Capability[]) {
  for (const capability of yes) assert.equal(can(active(role), capability), true, `${role} may ${capability}`);
  for (const capability of no) assert.equal(can(active(role), capability), false, `${role} may not ${capability}`);
}

describe('the capability table', () => {
  test('when the roles are listed, then they run reader, contributor, author, editor, admin, lowest first', () => {
    assert.deepEqual([...ROLES], ['reader', 'contributor', 'author', 'editor', 'admin']);
    assert.deepEqual([...STATUSES], ['active', 'suspended', 'banned']);
  });

  test('when each role is compared with the one before, then it may do all of that and something more', () => {
    for (let i = 1; i < ROLES.length; i++) {
      const lower = new Set(capabilitiesOf(ROLES[i - 1]!));
      const higher = new Set(capabilitiesOf(ROLES[i]!));
      const lost = [...lower].filter((c) => !higher.has(c));
      assert.deepEqual(lost, [], `${ROLES[i]} keeps everything ${ROLES[i - 1]} may do`);
      assert.ok(higher.size > lower.size, `${ROLES[i]} may do more than ${ROLES[i - 1]}`);
    }
  });

  test('when a reader acts, then they may comment, favourite and follow, and write nothing', () => {
    assertCan('reader', ['comment', 'favorite', 'follow'], ['write_drafts', 'publish_own', 'edit_own', 'edit_any', 'delete_any_article', 'moderate_comments']);
    assert.deepEqual(capabilitiesOf('reader').sort(), ['comment', 'favorite', 'follow']);
  });

  test('when a contributor acts, then they may write drafts but not publish', () => {
    assertCan('contributor', ['comment', 'favorite', 'follow', 'write_drafts'], ['publish_own', 'edit_own', 'publish_any', 'edit_any']);
  });

  test('when an author acts, then they may publish and edit their own articles, not anyone else\'s', () => {
    assertCan('author', ['write_drafts', 'publish_own', 'edit_own', 'moderate_own_comments'],
      ['publish_any', 'edit_any', 'delete_any_article', 'moderate_comments', 'view_stats', 'manage_users']);
  });

  test('when an editor acts, then they may edit and delete anyone\'s articles, moderate every comment and see the stats, not manage people', () => {
    assertCan('editor', ['publish_any', 'edit_any', 'delete_any_article', 'moderate_comments', 'view_stats'],
      ['invite', 'manage_users', 'manage_settings']);
  });

  test('when an admin acts, then every capability there is is theirs', () => {
    assertCan('admin', EVERY_CAPABILITY, []);
    assert.deepEqual(new Set(capabilitiesOf('admin')), new Set(EVERY_CAPABILITY), 'the list above names every capability');
  });

  test('when an account is suspended or banned, then whatever its role it may do nothing', () => {
    for (const status of ['suspended', 'banned'] as const) {
      for (const role of ROLES) {
        const allowed = EVERY_CAPABILITY.filter((c) => can({ role, status }, c));
        assert.deepEqual(allowed, [], `a ${status} ${role} may do nothing`);
      }
    }
    assert.equal(can(undefined, 'comment'), false, 'nor may nobody');
  });

  test('when a capability is missing, then requireCapability refuses with the contract\'s 403 naming the thing', () => {
    assert.doesNotThrow(() => requireCapability(active('editor'), 'edit_any', 'article'));
    assert.throws(() => requireCapability(active('contributor'), 'publish_own', 'article'), (err: unknown) => {
      assert.ok(err instanceof AppError);
      assert.equal(err.status, 403);
      assert.ok('article' in err.errors, `names the article: ${JSON.stringify(err.errors)}`);
      return true;
    });
    assert.throws(() => requireCapability({ role: 'admin', status: 'suspended' }, 'comment', 'comment'), AppError);
  });

  test('when a value is checked for a role or a status, then only the table\'s names pass', () => {
    assert.equal(isRole('editor'), true);
    assert.equal(isRole('superuser'), false);
    assert.equal(isRole('toString'), false);
    assert.equal(isStatus('banned'), true);
    assert.equal(isStatus('deleted'), false);
  });
});
