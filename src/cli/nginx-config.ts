// Builds the nginx config that fronts Quire: an upstream over any number of app servers with the
// chosen balancing method, static files from public/ served by nginx, gzip, the app's body limit,
// X-Forwarded-* for the app's TRUST_PROXY, and retries only where a retry cannot double a write.
// `quire nginx` (src/cli/nginx.ts) turns flags into NginxOptions; tests run `nginx -t` on the output.

export const BALANCING_METHODS = ['round-robin', 'least_conn', 'ip_hash', 'hash', 'random'] as const;
export type BalancingMethod = (typeof BALANCING_METHODS)[number];

/** The upstream directive of each method ('' = nginx's default, weighted round-robin). */
const methodDirective: Record<BalancingMethod, string> = {
  'round-robin': '',
  least_conn: 'least_conn;',
  ip_hash: 'ip_hash;',
  hash: 'hash $remote_addr consistent;',
  random: 'random two least_conn;',
};

export interface UpstreamServer {
  address: string;
  weight?: number;
  maxFails?: number;
  /** nginx time, e.g. 10s. */
  failTimeout?: string;
  backup?: boolean;
  down?: boolean;
}

export interface NginxOptions {
  servers: UpstreamServer[];
  method: BalancingMethod;
  /** Port, or address:port, nginx listens on. */
  listen: string;
  serverName: string;
  /** Absolute path of the directory nginx serves static files from (Quire's public/). */
  publicDir: string;
  /** The app's BODY_LIMIT, in bytes. */
  bodyLimitBytes: number;
  /** Idle connections to the upstream each nginx worker keeps open. */
  keepalive: number;
  /** How long browsers may cache static files, in nginx time (1h, 7d). */
  staticExpires: string;
  /** nginx's worker_processes: a number or 'auto'. */
  workerProcesses: string;
  /** When set, the pid file, logs and temp directories go under it (an unprivileged nginx). */
  prefix?: string;
}

export class NginxConfigError extends Error {
  override name = 'NginxConfigError';
}

const hostPort = /^(\[[0-9a-fA-F:.]+\]|[\w.-]+):(\d{1,5})$/;
const nginxTime = /^\d+(ms|s|m|h|d)?$/;

/** Parses "host:port weight=2 max_fails=3 fail_timeout=10s backup down" (nginx's own syntax). */
export function parseUpstreamServer(spec: string): UpstreamServer {
  const [address, ...params] = spec.trim().split(/\s+/);
  if (!address || !hostPort.test(address)) throw new NginxConfigError(`not a host:port: "${address ?? ''}"`);
  const server: UpstreamServer = { address };
  for (const param of params) {
    const [key, value] = param.split('=');
    if (key === 'backup' && value === undefined) server.backup = true;
    else if (key === 'down' && value === undefined) server.down = true;
    else if (key === 'weight' && value && /^[1-9]\d*$/.test(value)) server.weight = Number(value);
    else if (key === 'max_fails' && value && /^\d+$/.test(value)) server.maxFails = Number(value);
    else if (key === 'fail_timeout' && value && nginxTime.test(value)) server.failTimeout = value;
    else throw new NginxConfigError(`unknown or invalid server parameter "${param}" in "${spec}"`);
  }
  return server;
}

function serverLine(s: UpstreamServer): string {
  const params = [
    s.weight !== undefined && `weight=${s.weight}`,
    s.maxFails !== undefined && `max_fails=${s.maxFails}`,
    s.failTimeout !== undefined && `fail_timeout=${s.failTimeout}`,
    s.backup && 'backup',
    s.down && 'down',
  ].filter(Boolean);
  return `server ${[s.address, ...params].join(' ')};`;
}

function validate(o: NginxOptions): void {
  if (o.servers.length === 0) throw new NginxConfigError('at least one upstream server is needed');
  // nginx refuses "backup" with the hashing and random methods: they pick a server themselves.
  if (o.method !== 'round-robin' && o.method !== 'least_conn' && o.servers.some((s) => s.backup)) {
    throw new NginxConfigError(`"backup" cannot be used with ${o.method}`);
  }
  if (o.servers.every((s) => s.down || s.backup)) throw new NginxConfigError('every server is down or backup: nothing would answer');
  if (!/^(\d{1,5}|[\w.-]+:\d{1,5}|\[[0-9a-fA-F:]+\]:\d{1,5})$/.test(o.listen)) throw new NginxConfigError(`not a port or address:port: "${o.listen}"`);
  if (!/^[\w.*-]+( [\w.*-]+)*$/.test(o.serverName)) throw new NginxConfigError(`invalid server name "${o.serverName}"`);
  if (!nginxTime.test(o.staticExpires)) throw new NginxConfigError(`not an nginx time: "${o.staticExpires}"`);
  if (!/^(auto|[1-9]\d*)$/.test(o.workerProcesses)) throw new NginxConfigError(`worker processes must be a number or auto`);
  for (const [name, dir] of [['public', o.publicDir], ['prefix', o.prefix]] as const) {
    if (dir !== undefined && /[\s;{}"'$]/.test(dir)) throw new NginxConfigError(`the ${name} path must not contain spaces, quotes, ; { } or $: "${dir}"`);
  }
}

/** Where an nginx running with this prefix keeps its pid, logs and temp files. */
function paths(prefix: string | undefined) {
  if (!prefix) return undefined;
  const dir = prefix.replace(/\/+$/, '');
  return { pid: `${dir}/nginx.pid`, logs: `${dir}/logs`, temp: `${dir}/temp` };
}

export function buildNginxConfig(o: NginxOptions): string {
  validate(o);
  const p = paths(o.prefix);
  const method = methodDirective[o.method];
  const lines = [
    `# Written by \`quire nginx\`: ${o.servers.length} upstream server(s), ${o.method}. Check with nginx -t before reloading.`,
    `worker_processes ${o.workerProcesses};`,
    ...(p ? [`pid ${p.pid};`, `error_log ${p.logs}/error.log warn;`] : []),
    '',
    'events {',
    '  worker_connections 1024;',
    '}',
    '',
    'http {',
    '  types {',
    '    text/html html; text/css css; text/plain txt; text/xml xml; application/javascript js mjs;',
    '    application/json json map; image/svg+xml svg; image/png png; image/jpeg jpg jpeg; image/gif gif;',
    '    image/webp webp; image/x-icon ico; font/woff woff; font/woff2 woff2; application/manifest+json webmanifest;',
    '  }',
    '  default_type application/octet-stream;',
    '  server_tokens off;',
    '  sendfile on;',
    '  tcp_nopush on;',
    '  keepalive_timeout 65s;',
    '  # The app answers 413 above BODY_LIMIT too; nginx refuses earlier and keeps the body off the workers.',
    `  client_max_body_size ${o.bodyLimitBytes};`,
    '',
    '  log_format quire \'$remote_addr - $remote_user [$time_local] "$request" $status $body_bytes_sent \'',
    '                   \'"$http_referer" "$http_user_agent" $request_time $upstream_addr $upstream_response_time $request_id\';',
    ...(p
      ? [
          `  access_log ${p.logs}/access.log quire;`,
          `  client_body_temp_path ${p.temp}/client_body;`,
          `  proxy_temp_path ${p.temp}/proxy;`,
          `  fastcgi_temp_path ${p.temp}/fastcgi;`,
          `  uwsgi_temp_path ${p.temp}/uwsgi;`,
          `  scgi_temp_path ${p.temp}/scgi;`,
        ]
      : ['  access_log /var/log/nginx/quire.access.log quire;']),
    '',
    '  gzip on;',
    '  gzip_vary on;',
    '  gzip_proxied any;',
    '  gzip_comp_level 5;',
    '  gzip_min_length 1024;',
    '  gzip_types text/css text/plain text/xml application/javascript application/json application/xml',
    '             application/rss+xml application/atom+xml image/svg+xml application/manifest+json;',
    '',
    '  upstream quire {',
    ...(method ? [`    ${method}`] : []),
    ...o.servers.map((s) => `    ${serverLine(s)}`),
    '    # Idle HTTP/1.1 connections kept open to the app; closed before the app\'s own 65 s keep-alive ends.',
    `    keepalive ${o.keepalive};`,
    '    keepalive_timeout 60s;',
    '  }',
    '',
    '  server {',
    `    listen ${o.listen};`,
    `    server_name ${o.serverName};`,
    `    root ${o.publicDir};`,
    '',
    '    # A file that exists in public/ is served by nginx; everything else goes to the app.',
    '    location / {',
    '      try_files $uri @quire;',
    `      expires ${o.staticExpires};`,
    '      add_header Cache-Control "public" always;',
    '      access_log off;',
    '    }',
    '',
    '    location @quire {',
    '      proxy_pass http://quire;',
    '      proxy_http_version 1.1;',
    '      # An empty Connection header keeps the upstream connection alive between requests.',
    '      proxy_set_header Connection "";',
    '      proxy_set_header Host $host;',
    '      # nginx is the edge: the client is $remote_addr, whatever X-Forwarded-For it sent.',
    '      proxy_set_header X-Forwarded-For $remote_addr;',
    '      proxy_set_header X-Forwarded-Proto $scheme;',
    '      proxy_set_header X-Forwarded-Host $host;',
    '      proxy_set_header X-Real-IP $remote_addr;',
    '      proxy_set_header X-Request-Id $request_id;',
    '      # Retry on another server only when nothing can be doubled: nginx never resends POST, PATCH',
    '      # or LOCK once sent (non_idempotent is left off on purpose).',
    '      proxy_next_upstream error timeout http_502 http_503 http_504;',
    '      proxy_next_upstream_timeout 15s;',
    '      proxy_connect_timeout 5s;',
    '      proxy_read_timeout 60s;',
    '    }',
    '  }',
    '}',
    '',
  ];
  return lines.join('\n');
}
