// `quire user …`: people, as an admin manages them at /admin/users, through the same admin service
// (its rules hold here too: known roles, never without an active admin). The CLI acts as the system.
import { deletePerson, getPerson, resetLinkFor, resetUrl, setRole, setStatus } from '../admin/admin.service.js';
import { siteOrigin } from '../settings/settings.service.js';
import { articleIdsBy } from '../articles/article.repo.js';
import { listUsers } from '../users/user.repo.js';
import { ROLES } from '../users/roles.js';
import { changedSite, columns, SYSTEM_ADMIN, UsageError, verbArgs, withServices } from './context.js';

const usage = `usage: quire user <action> [options]

  list                                   every account: name, email, role, status
  role NAME ROLE                         give NAME a role: ${ROLES.join(', ')}
  ban NAME                               sign NAME out everywhere and refuse its sign-in
  suspend NAME                           NAME may sign in and read, nothing else
  activate NAME                          lift a ban or a suspension
  delete NAME [--reassign-to OTHER] --yes
                                         delete the account and its articles and comments
                                         (or give them to OTHER first); without --yes, say what would go
  admin NAME [--revoke]                  make NAME an admin (--revoke: an author)
  reset-password NAME                    print a single-use link (an hour) to set NAME's password

A change that would leave the site without an active admin is refused.`;

const statusOf = { ban: 'banned', suspend: 'suspended', activate: 'active' } as const;

export async function run(argv: string[]): Promise<void> {
  const parsed = verbArgs(argv, usage, { revoke: { type: 'boolean' }, yes: { type: 'boolean' }, 'reassign-to': { type: 'string' } } as const);
  if (!parsed) return;
  const { positionals, values } = parsed;
  const [action = 'list', name, role, ...rest] = positionals;
  const arity: Record<string, number> = { list: 0, role: 2, ban: 1, suspend: 1, activate: 1, delete: 1, admin: 1, 'reset-password': 1 };
  const wanted = Object.hasOwn(arity, action) ? arity[action]! : undefined;
  if (wanted === undefined) throw new UsageError(usage, `unknown action "${action}"`);
  if ([name, role, ...rest].filter((p) => p !== undefined).length !== wanted) throw new UsageError(usage, `"${action}" takes ${wanted === 0 ? 'no names' : wanted === 1 ? 'one name' : 'a name and a role'}`);

  await withServices(async (deps) => {
    const { db } = deps.database;
    if (action === 'list') {
      const rows = await listUsers(db);
      process.stdout.write(columns([['USERNAME', 'EMAIL', 'ROLE', 'STATUS'], ...rows.map((r) => [r.username, r.email, r.role, r.status])]));
      return;
    }
    const username = name!;
    if (action === 'reset-password') {
      const { token, expiresAt } = await resetLinkFor(db, SYSTEM_ADMIN, username);
      const origin = await siteOrigin(db, `http://localhost:${deps.config.PORT}`);
      process.stdout.write(`${resetUrl(origin, token)}\n`);
      process.stderr.write(`single use, until ${new Date(expiresAt).toISOString()}\n`);
      return;
    }
    if (action === 'delete') {
      const person = await getPerson(db, SYSTEM_ADMIN, username);
      const heir = values['reassign-to'];
      if (!values.yes) {
        const articles = (await articleIdsBy(db, person.id)).length;
        const content = heir ? `their ${articles} article(s) and their comments would go to ${heir}` : `their ${articles} article(s) and all their comments would be deleted`;
        process.stdout.write(`would delete ${person.username} <${person.email}> (${person.role}, ${person.status}); ${content}, with their favourites and follows.\nRun again with --yes to delete.\n`);
        process.exitCode = 1;
        return;
      }
      await deletePerson(db, SYSTEM_ADMIN, username, heir ? { content: 'reassign', to: heir } : { content: 'delete' });
      await changedSite(deps);
      process.stdout.write(`deleted ${username}${heir ? `; their articles and comments are now ${heir}'s` : ' and their content'}\n`);
      return;
    }
    const person = action === 'role' ? await setRole(db, SYSTEM_ADMIN, username, role!)
      : action === 'admin' ? await setRole(db, SYSTEM_ADMIN, username, values.revoke ? 'author' : 'admin')
      : await setStatus(db, SYSTEM_ADMIN, username, statusOf[action as keyof typeof statusOf]);
    await changedSite(deps);
    const now = action === 'role' || action === 'admin' ? `${/^[aeiou]/.test(person.role) ? 'an' : 'a'} ${person.role}` : person.status;
    process.stdout.write(`${person.username} is now ${now}\n`);
  });
}
