// `quire user list` and `quire user admin <username> [--revoke]`: who may see /admin pages.
import { parseArgs } from 'node:util';
import { withServices } from './context.js';

export async function run(argv: string[]): Promise<void> {
  const { positionals, values } = parseArgs({ args: argv, allowPositionals: true, options: { revoke: { type: 'boolean' } } });
  const [action = 'list', username] = positionals;
  await withServices(async ({ database: { db } }) => {
    if (action === 'list') {
      const rows = await db.selectFrom('users').select(['username', 'email', 'is_admin']).orderBy('id').execute();
      for (const r of rows) process.stdout.write(`${r.username}\t${r.email}${r.is_admin ? '\tadmin' : ''}\n`);
    } else if (action === 'admin' && username) {
      const result = await db.updateTable('users').set({ is_admin: values.revoke ? 0 : 1 })
        .where('username', '=', username).executeTakeFirst();
      if (Number(result.numUpdatedRows) === 0) throw new Error(`no user named "${username}"`);
      process.stdout.write(`${username} is ${values.revoke ? 'no longer' : 'now'} an admin\n`);
    } else {
      throw new Error('usage: quire user list | quire user admin <username> [--revoke]');
    }
  });
}
