// `quire nginx`: writes the nginx config that fronts Quire (see src/cli/nginx-config.ts and
// docs/deploy.md). The client body limit comes from the app's own BODY_LIMIT; with no --server the
// upstream is this machine's HOST:PORT.
import fs from 'node:fs';
import path from 'node:path';
import { parseArgs } from 'node:util';
import { loadConfig } from '../config.js';
import { BALANCING_METHODS, buildNginxConfig, parseUpstreamServer, type BalancingMethod } from './nginx-config.js';

const usage = `usage: quire nginx [options]
  --server "host:port [weight=N] [max_fails=N] [fail_timeout=T] [backup] [down]"
                         an upstream app server; repeat for each (default: HOST:PORT)
  --method M             ${BALANCING_METHODS.join(' | ')} (default round-robin)
                         hash = "hash $remote_addr consistent", random = "random two least_conn"
  --listen P             port or address:port nginx listens on (default 80)
  --server-name N        server_name (default _)
  --public DIR           static files served by nginx (default ./public)
  --keepalive N          idle connections to the app kept per nginx worker (default 32)
  --static-expires T     browser cache time for static files (default 1h)
  --worker-processes N   nginx worker_processes (default auto)
  --prefix DIR           keep pid, logs and temp files under DIR (unprivileged nginx)
  --out FILE             write there instead of stdout`;

export async function run(argv: string[]): Promise<void> {
  const { values } = parseArgs({
    args: argv,
    options: {
      server: { type: 'string', multiple: true },
      method: { type: 'string', default: 'round-robin' },
      listen: { type: 'string', default: '80' },
      'server-name': { type: 'string', default: '_' },
      public: { type: 'string', default: 'public' },
      keepalive: { type: 'string', default: '32' },
      'static-expires': { type: 'string', default: '1h' },
      'worker-processes': { type: 'string', default: 'auto' },
      prefix: { type: 'string' },
      out: { type: 'string' },
      help: { type: 'boolean', short: 'h' },
    },
  });
  if (values.help) {
    process.stdout.write(`${usage}\n`);
    return;
  }
  const method = values.method as BalancingMethod;
  if (!BALANCING_METHODS.includes(method)) throw new Error(`unknown --method "${values.method}" (${BALANCING_METHODS.join(', ')})`);
  const keepalive = Number(values.keepalive);
  if (!Number.isInteger(keepalive) || keepalive < 1) throw new Error(`--keepalive must be a positive integer`);
  const config = loadConfig();
  const servers = (values.server ?? [`${config.HOST}:${config.PORT}`]).map(parseUpstreamServer);
  const text = buildNginxConfig({
    servers,
    method,
    listen: values.listen,
    serverName: values['server-name'],
    publicDir: path.resolve(values.public),
    bodyLimitBytes: config.bodyLimitBytes,
    keepalive,
    staticExpires: values['static-expires'],
    workerProcesses: values['worker-processes'],
    prefix: values.prefix && path.resolve(values.prefix),
  });
  // nginx creates its temp directories but not their parents, nor the log directory.
  if (values.prefix) for (const dir of ['logs', 'temp']) fs.mkdirSync(path.resolve(values.prefix, dir), { recursive: true });
  if (values.out) fs.writeFileSync(values.out, text);
  else process.stdout.write(text);
}
