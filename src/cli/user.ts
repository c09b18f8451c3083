// `quire user list` and `quire user admin <username> [--revoke]`: who may see /admin pages.
import { parseArgs } from 'node:util';
import { listUsers, setRoleByName } from '../users/user.repo.js';
import { withServices } from './context.js';

export async function run(argv: string[]): Promise<void> {
  const { positionals, values } = parseArgs({ args: argv, allowPositionals: true, options: { revoke: { type: 'boolean' } } });
  const [action = 'list', username] = positionals;
  await withServices(async ({ database: { db } }) => {
    if (action === 'list') {
      for (const r of await listUsers(db)) process.stdout.write(`${r.username}\t${r.email}\t${r.role}${r.status === 'active' ? '' : `\t${r.status}`}\n`);
    } else if (action === 'admin' && username) {
      if (!(await setRoleByName(db, username, values.revoke ? 'author' : 'admin'))) throw new Error(`no user named "${username}"`);
      process.stdout.write(`${username} is ${values.revoke ? 'no longer' : 'now'} an admin\n`);
    } else {
      throw new Error('usage: quire user list | quire user admin <username> [--revoke]');
    }
  });
}
