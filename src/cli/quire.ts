// The `quire` command: one sub-command per file in src/cli/, dispatched by name.
const commands: Record<string, { summary: string; load: () => Promise<{ run(argv: string[]): Promise<void> }> }> = {
  start: { summary: 'start the server (same as npm start)', load: () => import('./start.js') },
  migrate: { summary: 'run database migrations to the latest', load: () => import('./migrate.js') },
  seed: { summary: 'fill the database with a realistic site: quire seed --users 100 --articles 10000 --comments 50000 [--seed N] [--reset]', load: () => import('./seed.js') },
  user: { summary: 'people: quire user list | role NAME ROLE | ban | suspend | activate | delete NAME [--reassign-to NAME] --yes', load: () => import('./user.js') },
  invite: { summary: 'sign-up invitations: quire invite create --role ROLE [--days N] | list | revoke ID', load: () => import('./invite.js') },
  settings: { summary: 'site settings: quire settings get [KEY] | set KEY VALUE', load: () => import('./settings.js') },
  nginx: { summary: 'write the nginx config for a cluster: quire nginx --server host:port … [--method least_conn] [--out FILE]', load: () => import('./nginx.js') },
  doctor: { summary: 'check config, database, migrations, Redis, secret, proxy trust, LOG_DIR and nginx: quire doctor', load: () => import('./doctor.js') },
  logs: { summary: 'analyse access logs: quire logs [files…] [--since 24h] [--until T] [--json]', load: () => import('./logs.js') },
};

function usage(): string {
  const width = Math.max(...Object.keys(commands).map((c) => c.length));
  return ['usage: quire <command> [options]', '', ...Object.entries(commands).map(([name, c]) => `  ${name.padEnd(width)}  ${c.summary}`)].join('\n');
}

const [name, ...argv] = process.argv.slice(2);
if (!name || name === 'help' || name === '--help' || name === '-h') {
  process.stdout.write(`${usage()}\n`);
} else if (!Object.hasOwn(commands, name)) {
  process.stderr.write(`quire: unknown command "${name}"\n${usage()}\n`);
  process.exitCode = 2;
} else {
  try {
    await (await commands[name]!.load()).run(argv);
  } catch (err) {
    // Loaded only on failure: context.js brings the whole app's modules, which `quire nginx` never needs.
    const { describeError, UsageError } = await import('./context.js');
    if (err instanceof UsageError) {
      process.stderr.write(`quire ${name}: ${err.message === err.usage ? '' : `${err.message}\n`}${err.usage}\n`);
      process.exitCode = 2;
    } else {
      process.stderr.write(`quire ${name}: ${describeError(err)}\n`);
      process.exitCode = 1;
    }
  }
}
