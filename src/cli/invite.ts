// `quire invite …`: single-use sign-up links, as /admin/invites makes them. An invite is stored as
// made by someone, so the CLI makes it as the site's oldest active admin (context.ts: firstAdmin).
import { inviteUrl } from '../admin/admin.routes.js';
import { siteOrigin } from '../settings/settings.service.js';
import { createInvite, listInvites, revokeInvite, type Invite } from '../users/invite.service.js';
import { ROLES } from '../users/roles.js';
import { columns, firstAdmin, SYSTEM_ADMIN, UsageError, verbArgs, withServices } from './context.js';

const usage = `usage: quire invite <action> [options]

  create --role ROLE [--days N]   print a single-use sign-up link giving ROLE (${ROLES.join(', ')}),
                                  valid N days (default 7, at most 90)
  list                            the newest invites and whether each is used or expired
  revoke ID                       make an unused invite's link stop working

The link is on the \`url\` setting's origin, else http://localhost:PORT.`;

function stateOf(invite: Invite, now: number): string {
  if (invite.usedAt !== null) return `used ${new Date(invite.usedAt).toISOString()}`;
  return invite.expiresAt <= now ? 'expired' : 'unused';
}

export async function run(argv: string[]): Promise<void> {
  const parsed = verbArgs(argv, usage, { role: { type: 'string' }, days: { type: 'string' } } as const);
  if (!parsed) return;
  const { positionals: [action, ...rest], values } = parsed;
  if (action === 'create') {
    if (rest.length > 0 || values.role === undefined) throw new UsageError(usage, 'create takes --role ROLE');
  } else if (action === 'list') {
    if (rest.length > 0 || values.role !== undefined || values.days !== undefined) throw new UsageError(usage, 'list takes no options');
  } else if (action === 'revoke') {
    if (rest.length !== 1 || !/^\d+$/.test(rest[0]!)) throw new UsageError(usage, 'revoke takes an invite id, as `quire invite list` shows it');
  } else {
    throw new UsageError(usage, action === undefined ? 'which action?' : `unknown action "${action}"`);
  }
  const days = values.days === undefined ? undefined : Number(values.days);
  if (days !== undefined && !(Number.isFinite(days) && days > 0)) throw new UsageError(usage, `--days must be a number of days, not "${values.days}"`);

  await withServices(async ({ database: { db }, config }) => {
    if (action === 'create') {
      const { invite, token } = await createInvite(db, await firstAdmin(db), values.role!, days === undefined ? undefined : Math.round(days * 86_400_000));
      const origin = await siteOrigin(db, `http://localhost:${config.PORT}`);
      process.stdout.write(`${inviteUrl(origin, token)}\n`);
      process.stderr.write(`invite ${invite.id}: ${invite.role}, single use, until ${new Date(invite.expiresAt).toISOString()}\n`);
    } else if (action === 'list') {
      const now = Date.now();
      const rows = (await listInvites(db, SYSTEM_ADMIN)).map((i) => [String(i.id), i.role, new Date(i.expiresAt).toISOString(), stateOf(i, now)]);
      process.stdout.write(rows.length ? columns([['ID', 'ROLE', 'EXPIRES', 'STATE'], ...rows]) : 'no invites\n');
    } else {
      await revokeInvite(db, SYSTEM_ADMIN, Number(rest[0]));
      process.stdout.write(`invite ${rest[0]} revoked\n`);
    }
  });
}
